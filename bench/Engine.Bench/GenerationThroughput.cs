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

    /// <summary>Seconds of decoding each figure is timed over at least (see <see cref="Sustained"/>).</summary>
    public const double MinimumSeconds = 1.0;

    /// <summary>Tokens/s of <paramref name="measure"/> (which decodes up to the given number of tokens and returns how
    /// many it timed and in how many seconds): one whole measurement of <see cref="Tokens"/> tokens as a warm-up, then as
    /// many as it takes to time at least <see cref="MinimumSeconds"/>, as the tokens over the time of them all. At tiny
    /// sizes one measurement of 48 tokens is a few milliseconds, where the JIT's tiering and the machine's neighbours
    /// decided the figure.</summary>
    public static double Sustained(Func<int, (int Tokens, double Seconds)> measure)
    {
        measure(Tokens);
        var (measured, tokens, seconds) = (0, 0L, 0.0);
        do
        {
            var (n, s) = measure(Tokens);
            (tokens, seconds) = (tokens + n, seconds + s);
            measured++;
        }
        while (seconds < MinimumSeconds && measured < 1000);
        return tokens / seconds;
    }

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

    /// <summary>Read bandwidth in bytes/s: <paramref name="threads"/> threads each sum their own part of a 512 MiB
    /// buffer (larger than any cache here) with 256-bit loads, best of four passes. Decoding reads weights and writes
    /// almost nothing, so this — not a copy — is its roofline.</summary>
    public static unsafe double ReadBandwidth(int threads)
    {
        const int size = 512 * 1024 * 1024;
        var buffer = (byte*)NativeMemory.AlignedAlloc((nuint)size, 64);
        try
        {
            new Span<byte>(buffer, size).Fill(1);
            var part = size / threads;
            var sums = new long[threads];
            var best = double.MaxValue;
            for (var pass = 0; pass < 4; pass++)
            {
                var clock = Stopwatch.StartNew();
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                {
                    var start = (System.Runtime.Intrinsics.Vector256<long>*)(buffer + (long)t * part);
                    var count = part / 32;
                    System.Runtime.Intrinsics.Vector256<long> a = default, b = default, c = default, d = default;
                    for (long i = 0; i + 4 <= count; i += 4)
                    {
                        a += start[i];
                        b += start[i + 1];
                        c += start[i + 2];
                        d += start[i + 3];
                    }
                    sums[t] += System.Runtime.Intrinsics.Vector256.Sum(a + b + c + d);
                });
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            if (sums.Sum() == 0) throw new InvalidOperationException("the buffer was not read");
            return size / best;
        }
        finally
        {
            NativeMemory.AlignedFree(buffer);
        }
    }

    /// <summary>The largest cache of the first processor as Linux reports it ("32768K"), or "unknown": weights that fit in
    /// it are not read from memory, and the memory roofline does not bound them.</summary>
    public static string LastLevelCache()
    {
        const string folder = "/sys/devices/system/cpu/cpu0/cache";
        if (!Directory.Exists(folder)) return "unknown";
        var largest = Directory.GetDirectories(folder, "index*")
            .Select(d => (Level: File.Exists(Path.Combine(d, "level")) ? File.ReadAllText(Path.Combine(d, "level")).Trim() : "", Size: File.Exists(Path.Combine(d, "size")) ? File.ReadAllText(Path.Combine(d, "size")).Trim() : ""))
            .Where(c => c.Size.Length > 0).OrderByDescending(c => c.Level, StringComparer.Ordinal).FirstOrDefault();
        return largest.Size is { Length: > 0 } size ? $"L{largest.Level} {size}" : "unknown";
    }

    /// <summary>How llama.cpp is driven in one decode measurement: <see cref="Path"/> "alone" (a bare decode loop on the
    /// process's first thread), "executor" (LLamaSharp's executor, whose decodes run on the .NET thread pool, as the app
    /// decoded before it had decode threads), "app" (<see cref="Planner.Llm.LocalLanguageModel"/> as the app runs it,
    /// which sets flash attention and memory mapping itself, every token on all <see cref="Threads"/>) or "app-auto" (the
    /// same with the threads for each new token measured at load, as the app now does).</summary>
    public sealed record LlamaSetup(string Path, int Threads, bool FlashAttention, bool MemoryMap)
    {
        public override string ToString() => Path switch
        {
            "app" => $"as the app decodes: its decode thread, {Threads} thread{(Threads == 1 ? "" : "s")} (the app before)",
            "app-auto" => $"as the app decodes: its decode thread, threads measured at load from 1 to {Threads}",
            "sampled" => $"decode and sample (LLamaSharp's default pipeline), {Threads} thread{(Threads == 1 ? "" : "s")}, flash attention {(FlashAttention ? "on" : "off")}",
            "executor" => $"LLamaSharp executor on the thread pool, {Threads} thread{(Threads == 1 ? "" : "s")}, flash attention {(FlashAttention ? "on" : "off")} (the app before)",
            _ => $"decode alone, {Threads} thread{(Threads == 1 ? "" : "s")}, flash attention {(FlashAttention ? "on" : "off")}, {(MemoryMap ? "mapped" : "read into memory")}",
        };

        public string[] Arguments() => [Path, Threads.ToString(System.Globalization.CultureInfo.InvariantCulture), FlashAttention ? "1" : "0", MemoryMap ? "1" : "0"];

        public static LlamaSetup Parse(string[] a) => new(a[0], int.Parse(a[1], System.Globalization.CultureInfo.InvariantCulture), a[2] == "1", a[3] == "1");
    }

    /// <summary>Tokens/s of one decode measurement, in a process of its own (OpenMP keeps its thread pools per process, so
    /// one path's pools would change the next path's figure): <see cref="Tokens"/> tokens from "The roadmap is", repeated
    /// after a warm-up until at least <see cref="MinimumSeconds"/> are timed (<see cref="Sustained"/>). "alone" times each decode call (argmax between them, no sampling pipeline); the executor
    /// and the app are timed from their first token to their last, sampling included.</summary>
    public static double LlamaTokensPerSecond(string path, int context, LlamaSetup setup)
    {
        if (setup.Path is "app" or "app-auto")
        {
            using var model = Planner.Llm.LocalLanguageModel.Load(path, new Planner.Llm.ModelSettings
            {
                Threads = setup.Threads, DecodeThreads = setup.Path == "app" ? setup.Threads : null, Temperature = 0.8, Seed = 1,
            });
            if (setup.Path == "app-auto") Console.Error.WriteLine($"  app-auto: {model.DecodeThreads}");
            (int, double) App(int tokens)
            {
                Planner.Llm.GenerationReport? report = null;
                var options = new Planner.Llm.GenerationOptions { MaxTokens = tokens, Finished = r => report = r };
                foreach (var _ in model.GenerateAsync("The roadmap is", options).ToBlockingEnumerable()) { }
                return (report!.TokensGenerated - 1, report.Decoding.TotalSeconds); // timed from the first token to the last
            }
            return Sustained(App);
        }
        var parameters = new ModelParams(path)
        {
            ContextSize = (uint)context, GpuLayerCount = 0, Threads = setup.Threads, BatchThreads = setup.Threads,
            FlashAttention = setup.FlashAttention, LoadMode = setup.MemoryMap ? LLamaLoadMode.MemoryMap : LLamaLoadMode.None,
        };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        (int, double) Alone(int tokens) => Bare(tokens, sample: false);
        (int, double) Sampled(int tokens) => Bare(tokens, sample: true);
        (int, double) Bare(int tokens, bool sample)
        {
            using var pipeline = new DefaultSamplingPipeline { Temperature = 0.8f, Seed = 1 };
            using var llama = new LLamaContext(weights, parameters);
            var prompt = weights.Tokenize("The roadmap is", false, false, System.Text.Encoding.UTF8);
            var batch = new LLamaBatch();
            var last = 0;
            for (var i = 0; i < prompt.Length; i++) last = batch.Add(prompt[i], i, LLamaSeqId.Zero, i == prompt.Length - 1);
            if (llama.Decode(batch) != DecodeResult.Ok) throw new InvalidOperationException("llama.cpp could not decode the prompt");
            var elapsed = TimeSpan.Zero;
            for (var n = 0; n < tokens; n++)
            {
                var clock = Stopwatch.StartNew();
                LLamaToken next;
                if (sample) next = pipeline.Sample(llama.NativeHandle, last);
                else
                {
                    var logits = llama.NativeHandle.GetLogitsIth(last);
                    var best = 0;
                    for (var v = 1; v < logits.Length; v++) if (logits[v] > logits[best]) best = v;
                    next = best;
                    clock.Restart(); // decode alone: the argmax is not timed
                }
                batch.Clear();
                last = batch.Add(next, prompt.Length + n, LLamaSeqId.Zero, true);
                if (llama.Decode(batch) != DecodeResult.Ok) throw new InvalidOperationException("llama.cpp could not decode");
                elapsed += clock.Elapsed;
            }
            return (tokens, elapsed.TotalSeconds);
        }
        (int, double) Executor(int tokens)
        {
            var inference = new InferenceParams { MaxTokens = tokens, SamplingPipeline = new DefaultSamplingPipeline { Temperature = 0.8f, Seed = 1 } };
            var executor = new StatelessExecutor(weights, parameters);
            var pieces = 0;
            var first = 0L;
            foreach (var _ in executor.InferAsync("The roadmap is", inference).ToBlockingEnumerable())
                if (pieces++ == 0) first = Stopwatch.GetTimestamp();
            return (pieces - 1, Stopwatch.GetElapsedTime(first).TotalSeconds);
        }
        Func<int, (int, double)> measure = setup.Path switch { "executor" => Executor, "sampled" => Sampled, _ => Alone };
        return Sustained(measure); // its warm-up pages the weights in and has the kernels used once
    }

    /// <summary><see cref="LlamaTokensPerSecond"/> in a child process of this program.</summary>
    public static double LlamaTokensPerSecondApart(string path, int context, LlamaSetup setup) =>
        double.Parse(ChildProcess.LastLine(["--decode-one", path, context.ToString(System.Globalization.CultureInfo.InvariantCulture), .. setup.Arguments()], $"measuring {setup}"),
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>TorchSharp's decoding with its KV cache: sampled (temperature 0.8, top-k 40, top-p 0.95, as the engine
    /// generates) or greedy (the argmax: what the model alone costs).</summary>
    public static double TorchSharpTokensPerSecond(Gpt model, bool greedy = false)
    {
        model.eval();
        var prompt = new[] { 464, 3303, 318 }; // "The roadmap is"
        var options = new GenerationOptions { MaxTokens = Tokens, Temperature = greedy ? 0 : 0.8, Seed = 1, StopAtEndOfText = false };
        return Sustained(tokens =>
        {
            var clock = Stopwatch.StartNew();
            var produced = TextGenerator.GenerateTokens(model, prompt, options with { MaxTokens = tokens }).Count();
            return (produced, clock.Elapsed.TotalSeconds);
        });
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
        FormattableString.Invariant($"  {label,-40} {tokensPerSecond,7:F1} tok/s   roofline {bandwidth / weightBytes,6:F1} tok/s   ({100 * tokensPerSecond * weightBytes / bandwidth:F0}% of it)");
}
