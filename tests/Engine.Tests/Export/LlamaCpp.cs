using LLama;
using LLama.Common;
using LLama.Native;

namespace Planner.Engine.Tests.Export;

/// <summary>Loads GGUF files with LLamaSharp's CPU llama.cpp, keeping its logs quiet (configured once per process,
/// before the first native call).</summary>
internal static class LlamaCpp
{
    private static readonly Lazy<bool> configured = new(() =>
    {
        NativeLibraryConfig.All.WithLogCallback((level, message) => { if (level == LLamaLogLevel.Error) Console.Error.Write("[llama.cpp] " + message); });
        return true;
    });

    public static ModelParams Parameters(string path) => new(path) { ContextSize = 256, GpuLayerCount = 0, Threads = Environment.ProcessorCount, BatchSize = 256 };

    public static LLamaWeights Load(string path)
    {
        _ = configured.Value;
        return LLamaWeights.LoadFromFile(Parameters(path));
    }

    /// <summary>llama.cpp's logits at every position of <paramref name="tokens"/> (which must fit the 256 context).</summary>
    public static float[][] Logits(LLamaWeights weights, string path, IReadOnlyList<int> tokens)
    {
        if (tokens.Count > 256) throw new ArgumentException("Never decode past the trained context: llama.cpp aborts the process.");
        using var context = weights.CreateContext(Parameters(path));
        var batch = new LLamaBatch();
        for (var i = 0; i < tokens.Count; i++) batch.Add((LLamaToken)tokens[i], i, LLamaSeqId.Zero, logits: true);
        var result = context.NativeHandle.Decode(batch);
        if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama_decode returned {result}");
        return [.. Enumerable.Range(0, tokens.Count).Select(i => context.NativeHandle.GetLogitsIth(i).ToArray())];
    }
}
