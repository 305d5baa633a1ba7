using System.Diagnostics;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Sampling;
using Microsoft.SemanticKernel;
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

    /// <summary>A drafting-sized question: the workspace facts a real prompt carries (about 600 tokens), then the ask.</summary>
    private static readonly string LongQuestion = string.Concat(Enumerable.Range(1, 24).Select(i =>
        $"Initiative i{i}: {(i % 3 == 0 ? "bank feeds" : i % 3 == 1 ? "approvals" : "billing")} for team be, {i % 5 + 2} weeks, reach {i * 40}. ")) + Question;

    public static async Task RunAsync(bool quick)
    {
        var (runs, maxTokens) = quick ? (3, 48) : (21, 96);
        LlamaNativeLibrary.Configure(null); // llama.cpp's logs off stdout, before the raw executor loads it
        await CompareAsync("short chat question", new GptConfig(GptConfig.Gpt2VocabSize, 256, Layers: 4, Heads: 4, Embedding: 256), Question, runs, maxTokens);
        await CompareAsync("drafting-sized prompt", new GptConfig(GptConfig.Gpt2VocabSize, 1024, Layers: 6, Heads: 6, Embedding: 384), LongQuestion, runs, maxTokens);
    }

    private static async Task CompareAsync(string label, GptConfig shape, string question, int runs, int maxTokens)
    {
        var folder = Path.Combine(Path.GetTempPath(), "planner-bench-llm", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var name = $"bench-{shape.Layers}x{shape.Embedding}";
            var file = Path.Combine(folder, name + ".gguf");
            using (var model = new Gpt(shape, seed: 11))
                GgufExporter.Export(model, file, GgufDataType.F32, name);
            var settings = new ModelSettings { ContextSize = shape.ContextLength, Seed = 5, Temperature = 0.8, MaxOutputTokens = maxTokens };

            using var runtime = new LanguageModelRuntime(new ModelRegistry([folder]));
            runtime.Choose(file, settings);
            var service = new LocalChatCompletionService(runtime);
            var history = new ChatHistory();
            history.AddUserMessage(question);
            var execution = ChatSettings.Create(maxTokens);

            var parameters = new ModelParams(file) { ContextSize = (uint)shape.ContextLength, GpuLayerCount = 0, Threads = settings.Threads, BatchSize = (uint)Math.Min(shape.ContextLength, 512) };
            using var weights = LLamaWeights.LoadFromFile(parameters);
            // The transcript our service writes for this history, so both paths decode the same tokens.
            var prompt = $"User: {question}\nAssistant:";
            var promptTokens = weights.Tokenize(prompt, false, false, Encoding.UTF8).Length;

            // One executor for every raw run, as LLamaSharp intends: its constructor builds (and frees) a context, and
            // each InferAsync builds its own — the runtime keeps its executors between requests the same way.
            var executor = new StatelessExecutor(weights, parameters);
            async Task<Sample> Raw()
            {
                var inference = new InferenceParams
                {
                    MaxTokens = maxTokens,
                    AntiPrompts = ["<|endoftext|>", "\nUser:"],
                    SamplingPipeline = new DefaultSamplingPipeline { Temperature = (float)settings.Temperature, Seed = (uint)settings.Seed!.Value },
                };
                return await Measure(executor.InferAsync(prompt, inference));
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
            // Each "ours" run follows its "raw" run: the median of the pairs' differences is robust to the machine's
            // load drifting over the measurement, which a difference of two medians is not.
            var firstGap = Median(raw.Zip(ours, (r, o) => o.FirstMs - r.FirstMs));
            var totalGap = Median(raw.Zip(ours, (r, o) => o.TotalMs - r.TotalMs));
            var (rawFirst, oursFirst) = (Median(raw.Select(s => s.FirstMs)), Median(ours.Select(s => s.FirstMs)));
            var (rawTotal, oursTotal) = (Median(raw.Select(s => s.TotalMs)), Median(ours.Select(s => s.TotalMs)));
            var (rawRate, oursRate) = (tokens / ((rawTotal - rawFirst) / 1000), tokens / ((oursTotal - oursFirst) / 1000));

            Console.WriteLine($"LLM overhead, {label}: GPT-2 shape {shape.Layers} layers x {shape.Embedding} wide (F32, {new FileInfo(file).Length / 1e6:0} MB), " +
                              $"{Environment.ProcessorCount} cores, {promptTokens} prompt tokens, {tokens} tokens per reply, median of {runs} alternating runs; " +
                              $"same text in every run: {(same ? "yes" : "NO")}");
            Console.WriteLine($"{"",28} {"raw executor",13} {"SK + queue",11} {"overhead (median of paired differences)",40}");
            Console.WriteLine($"{"time to first token (ms)",28} {rawFirst,13:0.0} {oursFirst,11:0.0} {firstGap / rawFirst,9:+0.0%;-0.0%} {firstGap,9:+0.0;-0.0} ms");
            Console.WriteLine($"{"decode (tokens/s)",28} {rawRate,13:0} {oursRate,11:0} {(rawRate - oursRate) / rawRate,9:+0.0%;-0.0%}");
            Console.WriteLine($"{"whole reply (ms)",28} {rawTotal,13:0.0} {oursTotal,11:0.0} {totalGap / rawTotal,9:+0.0%;-0.0%} {totalGap,9:+0.0;-0.0} ms");
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
