using System.Diagnostics;
using System.Runtime.InteropServices;
using LLama;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;
using Planner.Engine.Export;
using Planner.Engine.Generation;
using Planner.Engine.Model;

namespace Planner.Engine.Bench;

/// <summary>Decode speed, side by side in one process: TorchSharp with its KV cache, and llama.cpp (LLamaSharp) on the
/// same weights exported to GGUF F16 and Q8_0; plus the memory-bandwidth roofline for decoding (every weight byte read
/// once per token ÷ a large memory copy's bandwidth measured here).</summary>
public static class GenerationThroughput
{
    /// <summary>llama.cpp's own report of the CPU features its loaded build uses ("AVX2 = 1 | AVX512 = 0 | …").</summary>
    public static string LlamaSystemInfo() =>
        System.Runtime.InteropServices.Marshal.PtrToStringUTF8(NativeApi.llama_print_system_info())?.Trim().TrimEnd('|').Trim() ?? "";

    public const int Tokens = 48;

    /// <summary>Copy bandwidth in bytes/s (read + write counted once each), best of a few 256 MiB copies.</summary>
    public static unsafe double CopyBandwidth()
    {
        const int size = 256 * 1024 * 1024;
        var source = NativeMemory.Alloc(size);
        var target = NativeMemory.Alloc(size);
        try
        {
            new Span<byte>(source, size).Fill(1);
            new Span<byte>(target, size).Clear();
            var best = double.MaxValue;
            for (var i = 0; i < 4; i++)
            {
                var clock = Stopwatch.StartNew();
                Buffer.MemoryCopy(source, target, size, size);
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            return 2.0 * size / best;
        }
        finally
        {
            NativeMemory.Free(source);
            NativeMemory.Free(target);
        }
    }

    public static double TorchSharpTokensPerSecond(Gpt model)
    {
        model.eval();
        var prompt = new[] { 464, 3303, 318 }; // "The roadmap is"
        var options = new GenerationOptions { MaxTokens = Tokens, Temperature = 0.8, Seed = 1, StopAtEndOfText = false };
        _ = TextGenerator.GenerateTokens(model, prompt, options with { MaxTokens = 4 }).Count(); // warm-up
        var clock = Stopwatch.StartNew();
        var produced = TextGenerator.GenerateTokens(model, prompt, options).Count();
        return produced / clock.Elapsed.TotalSeconds;
    }

    public static double LlamaTokensPerSecond(string path, int context)
    {
        var parameters = new ModelParams(path) { ContextSize = (uint)context, GpuLayerCount = 0, Threads = Environment.ProcessorCount };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        double Run(int tokens)
        {
            var inference = new InferenceParams { MaxTokens = tokens, SamplingPipeline = new DefaultSamplingPipeline { Temperature = 0.8f, Seed = 1 } };
            var executor = new StatelessExecutor(weights, parameters);
            var pieces = 0;
            var clock = Stopwatch.StartNew();
            foreach (var _ in executor.InferAsync("The roadmap is", inference).ToBlockingEnumerable()) pieces++;
            return pieces / clock.Elapsed.TotalSeconds;
        }
        Run(4); // warm-up
        return Run(Tokens);
    }

    public static void RouteNativeLogs() =>
        NativeLibraryConfig.All.WithLogCallback((level, message) => { if (level == LLamaLogLevel.Error) Console.Error.Write("[llama.cpp] " + message); });

    public static string Export(Gpt model, GgufDataType type)
    {
        var path = Path.Combine(Path.GetTempPath(), $"planner-bench-{Guid.NewGuid():N}-{type}.gguf".ToLowerInvariant());
        GgufExporter.Export(model, path, type, "bench");
        return path;
    }

    public static string Describe(string label, double tokensPerSecond, double weightBytes, double bandwidth) =>
        FormattableString.Invariant($"  {label,-22} {tokensPerSecond,7:F1} tok/s   roofline {bandwidth / weightBytes,6:F1} tok/s   ({100 * tokensPerSecond * weightBytes / bandwidth:F0}% of it)");
}
