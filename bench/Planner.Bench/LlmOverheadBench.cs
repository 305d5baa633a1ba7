using System.Diagnostics;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Sampling;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using ChatHistory = Microsoft.SemanticKernel.ChatCompletion.ChatHistory;
using Planner.Engine.Export;
using Planner.Engine.Model;
using Planner.Llm;

namespace Planner.Bench;

/// <summary>Time to first token and decode speed of the same GGUF, same prompt, same sampler seed, through Semantic
/// Kernel + the runtime's queue (<see cref="LocalChatCompletionService"/>) and through LLamaSharp's raw
/// StatelessExecutor, alternating so both see the same machine load. Overhead = (ours − raw) / raw.</summary>
public static class LlmOverheadBench
{
    private const string Question = "Which initiatives slip if the backend team loses two people next quarter?";

    public static async Task RunAsync(bool quick)
    {
        var (runs, maxTokens) = quick ? (3, 48) : (7, 96);
        LlamaNativeLibrary.Configure(null); // llama.cpp's logs off stdout, before the raw executor loads it
        var folder = Path.Combine(Path.GetTempPath(), "planner-bench-llm", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "bench-4x256.gguf");
            using (var model = new Gpt(new GptConfig(GptConfig.Gpt2VocabSize, 256, Layers: 4, Heads: 4, Embedding: 256), seed: 11))
                GgufExporter.Export(model, file, GgufDataType.F32, "bench-4x256");
            var settings = new ModelSettings { ContextSize = 256, Seed = 5, Temperature = 0.8, MaxOutputTokens = maxTokens };

            using var runtime = new LanguageModelRuntime(new ModelRegistry([folder]));
            runtime.Choose(file, settings);
            var service = new LocalChatCompletionService(runtime);
            var history = new ChatHistory();
            history.AddUserMessage(Question);
            var execution = ChatSettings.Create(maxTokens);

            var parameters = new ModelParams(file) { ContextSize = 256, GpuLayerCount = 0, Threads = settings.Threads, BatchSize = 256 };
            using var weights = LLamaWeights.LoadFromFile(parameters);
            // The transcript our service writes for this history, so both paths decode the same tokens.
            var prompt = $"User: {Question}\nAssistant:";

            async Task<Sample> Raw()
            {
                var inference = new InferenceParams
                {
                    MaxTokens = maxTokens,
                    AntiPrompts = ["<|endoftext|>", "\nUser:"],
                    SamplingPipeline = new DefaultSamplingPipeline { Temperature = (float)settings.Temperature, Seed = (uint)settings.Seed!.Value },
                };
                return await Measure(new StatelessExecutor(weights, parameters).InferAsync(prompt, inference));
            }

            async Task<Sample> Ours() => await Measure(Pieces(service.GetStreamingChatMessageContentsAsync(history, execution)));

            await Raw();
            await Ours(); // warm-up: loads the runtime's copy of the model
            var raw = new List<Sample>();
            var ours = new List<Sample>();
            for (var i = 0; i < runs; i++)
            {
                raw.Add(await Raw());
                ours.Add(await Ours());
            }
            var tokens = weights.Tokenize(ours[0].Text, false, false, Encoding.UTF8).Length;
            var same = raw.Concat(ours).All(s => s.Text.TrimEnd() == ours[0].Text.TrimEnd());
            double Median(IEnumerable<double> xs) { var a = xs.Order().ToArray(); return a[a.Length / 2]; }
            var (rawFirst, oursFirst) = (Median(raw.Select(s => s.FirstMs)), Median(ours.Select(s => s.FirstMs)));
            var (rawTotal, oursTotal) = (Median(raw.Select(s => s.TotalMs)), Median(ours.Select(s => s.TotalMs)));
            var (rawRate, oursRate) = (tokens / ((rawTotal - rawFirst) / 1000), tokens / ((oursTotal - oursFirst) / 1000));

            Console.WriteLine($"LLM overhead: GPT-2 shape 4 layers x 256 wide (F32, {new FileInfo(file).Length / 1e6:0} MB), {Environment.ProcessorCount} cores, " +
                              $"{tokens} tokens per reply, median of {runs} alternating runs; same text in every run: {(same ? "yes" : "NO")}");
            Console.WriteLine($"{"",28} {"raw executor",13} {"SK + queue",11} {"overhead",9}");
            Console.WriteLine($"{"time to first token (ms)",28} {rawFirst,13:0.0} {oursFirst,11:0.0} {(oursFirst - rawFirst) / rawFirst,9:+0.0%;-0.0%}");
            Console.WriteLine($"{"decode (tokens/s)",28} {rawRate,13:0} {oursRate,11:0} {(rawRate - oursRate) / rawRate,9:+0.0%;-0.0%}");
            Console.WriteLine($"{"whole reply (ms)",28} {rawTotal,13:0.0} {oursTotal,11:0.0} {(oursTotal - rawTotal) / rawTotal,9:+0.0%;-0.0%}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record Sample(double FirstMs, double TotalMs, string Text);

    private static async Task<Sample> Measure(IAsyncEnumerable<string> pieces)
    {
        var clock = Stopwatch.StartNew();
        double? first = null;
        var text = new StringBuilder();
        await foreach (var piece in pieces)
        {
            if (piece.Length == 0) continue;
            first ??= clock.Elapsed.TotalMilliseconds;
            text.Append(piece);
        }
        var total = clock.Elapsed.TotalMilliseconds;
        return new Sample(first ?? total, total, text.ToString());
    }

    private static async IAsyncEnumerable<string> Pieces(IAsyncEnumerable<StreamingChatMessageContent> updates)
    {
        await foreach (var update in updates) yield return update.Content ?? "";
    }
}
