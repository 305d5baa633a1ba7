using System.Diagnostics;
using System.Globalization;
using Planner.Engine.Model;
using Planner.Engine.Native;
using static TorchSharp.torch;

namespace Planner.Engine.Bench;

/// <summary>What a training run leaves behind for the work a web app does after it, by the training heap's setting:
/// "keep" holds large allocations in the C heap during the run and afterwards sets glibc's values back — or, where the
/// process started with glibc's own, the most its adapting mmap threshold can reach (<see cref="HeapSettings.Adapted"/>),
/// since that threshold stops adapting at the first change; "off" never changes them, so the threshold has grown with
/// the run's freed blocks; "none" trains nothing (a fresh process). Each mode in a process of
/// its own (<c>--after-run</c>), as a web app is one process: train on a thread of its own, as the app does, then answer
/// with the local model (llama.cpp: a whole generation with its prompt, context made afresh each time, as the app
/// serves a chat) and with the Engine (a forward pass over a batch, as classifying reviews does; TorchSharp's own
/// decoding), each timed with the page faults it takes.</summary>
public static class AfterRun
{
    public static readonly string[] Modes = ["none", "off", "keep"];

    /// <summary>The child's measurement: one line of five numbers (llama.cpp seconds and faults per generation, Engine
    /// seconds and faults per forward pass, Engine greedy decoding tokens/s).</summary>
    public static string MeasureOne(string mode, string preset, int steps, int batch, string gguf)
    {
        EngineNative.Apply(new EngineNativeOptions { InterposeMklVendorCheck = true });
        var config = GptConfig.Preset(preset);
        if (mode != "none")
        {
            var setup = TrainingThroughput.Setups[mode == "keep" ? 3 : 4]; // kept as trained; left to glibc (TrainingHeap=off)
            var trainer = new Thread(() => TrainingThroughput.Measure(config, batch, steps, setup));
            trainer.Start();
            trainer.Join();
        }
        var (llamaSeconds, llamaFaults) = LlamaGenerations(gguf);
        var (forwardSeconds, forwardFaults, decode) = EngineWork(config);
        return string.Create(CultureInfo.InvariantCulture, $"{llamaSeconds:R} {llamaFaults:R} {forwardSeconds:R} {forwardFaults:R} {decode:R}");
    }

    /// <summary>Seconds and minor page faults per generation: a prompt of about 200 tokens and 32 new ones, through
    /// <see cref="Planner.Llm.LocalLanguageModel"/> as the app runs it (every core for each new token, fixed, so that no
    /// measuring at load differs between processes); the best of three series of eight, after two untimed.</summary>
    private static (double Seconds, double Faults) LlamaGenerations(string gguf)
    {
        using var model = Planner.Llm.LocalLanguageModel.Load(gguf, new Planner.Llm.ModelSettings
        {
            Threads = Environment.ProcessorCount, DecodeThreads = Environment.ProcessorCount, Temperature = 0.8, Seed = 1,
        });
        var prompt = string.Concat(Enumerable.Repeat("Customers asked for billing in euros and a faster export. ", 20));
        void Generate()
        {
            foreach (var _ in model.GenerateAsync(prompt, 32).ToBlockingEnumerable()) { }
        }
        for (var i = 0; i < 2; i++) Generate();
        return BestOfSeries(Generate, 8);
    }

    /// <summary>Seconds and faults per forward pass over 4 sequences of the whole context (no gradients), and greedy
    /// decoding tokens/s through the Engine's generator.</summary>
    private static (double Seconds, double Faults, double TokensPerSecond) EngineWork(GptConfig config)
    {
        using var model = new Gpt(config, seed: 2);
        model.eval();
        var generator = new Random(2);
        var ids = Enumerable.Range(0, 4 * config.ContextLength).Select(_ => (long)generator.Next(config.VocabSize)).ToArray();
        using var input = tensor(ids, [4, config.ContextLength]);
        void Forward()
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            model.forward(input);
        }
        for (var i = 0; i < 2; i++) Forward();
        var (seconds, faults) = BestOfSeries(Forward, 4);
        var decode = GenerationThroughput.TorchSharpTokensPerSecond(model, greedy: true);
        return (seconds, faults, decode);
    }

    private static (double Seconds, double Faults) BestOfSeries(Action work, int each)
    {
        var best = (Seconds: double.MaxValue, Faults: 0.0);
        for (var series = 0; series < 3; series++)
        {
            var faultsBefore = TrainingThroughput.MinorFaults();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < each; i++) work();
            var seconds = clock.Elapsed.TotalSeconds / each;
            if (seconds < best.Seconds) best = (seconds, (TrainingThroughput.MinorFaults() - faultsBefore) / (double)each);
        }
        return best;
    }

    /// <summary>Every mode in a process of its own, <paramref name="rounds"/> rounds in alternating order; medians.</summary>
    public static void Compare(string preset, int steps, int batch, string ggufPreset, int rounds)
    {
        using var model = new Gpt(GptConfig.Preset(ggufPreset), seed: 1);
        var gguf = GenerationThroughput.Export(model, Export.GgufDataType.Q8_0);
        try
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"after a training run ({preset}, {steps} steps of batch {batch}), each mode in a process of its own, {rounds} rounds; local model: {ggufPreset} Q8_0"));
            var results = Modes.ToDictionary(m => m, _ => new List<double[]>());
            for (var round = 0; round < rounds; round++)
                foreach (var mode in round % 2 == 0 ? Modes : Enumerable.Reverse(Modes))
                    results[mode].Add([.. ChildProcess.LastLine(["--after-run", mode, preset, steps.ToString(CultureInfo.InvariantCulture),
                        batch.ToString(CultureInfo.InvariantCulture), gguf], $"after-run {mode}").Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture))]);
            foreach (var mode in Modes)
            {
                double M(int k) => Rounds.Median(results[mode].Select(r => r[k]));
                string All(int k, string format, double scale = 1) => string.Join(", ", results[mode].Select(r => (r[k] * scale).ToString(format, CultureInfo.InvariantCulture)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {mode,-4}  llama.cpp generation {M(0) * 1000:F1} ms ({All(0, "F1", 1000)}), {M(1):F0} faults;  Engine forward {M(2) * 1000:F1} ms ({All(2, "F1", 1000)}), {M(3):F0} faults;  Engine greedy decoding {M(4):F0} tok/s ({All(4, "F0")})"));
            }
        }
        finally
        {
            File.Delete(gguf);
        }
    }
}
