using System.Globalization;

namespace Planner.Llm;

/// <summary>How much memory a GGUF model needs with a given context, estimated from its header: the weights (the file,
/// mapped whole), the key/value cache llama.cpp allocates for the context (f16 by default: 2 bytes per value), and a
/// flat allowance for its compute buffers. An estimate to warn by, not a promise.</summary>
public static class ModelMemory
{
    /// <summary>llama.cpp's compute buffers and the output logits for a batch: a flat allowance.</summary>
    public const long ComputeAllowance = 256L << 20;

    /// <summary>Bytes per cached key or value (llama.cpp's default f16 cache).</summary>
    public const int CacheValueBytes = 2;

    /// <summary>The key/value cache for <paramref name="context"/> tokens: layers × context × (key + value width) ×
    /// bytes, with the widths from the header (heads of keys/values × head size; grouped-query models cache fewer
    /// heads). Null when the header lacks the shape.</summary>
    public static long? KvCacheBytes(GgufInfo info, int context)
    {
        if (info.Architecture is not { } architecture) return null;
        long? Get(string key) => info.Metadata.TryGetValue($"{architecture}.{key}", out var text)
                                 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
        if (Get("block_count") is not { } layers || Get("embedding_length") is not { } width || Get("attention.head_count") is not { } heads) return null;
        var kvHeads = Get("attention.head_count_kv") ?? heads;
        var keyWidth = Get("attention.key_length") ?? width / heads;
        var valueWidth = Get("attention.value_length") ?? width / heads;
        return layers * context * kvHeads * (keyWidth + valueWidth) * CacheValueBytes;
    }

    /// <summary>Weights + cache + compute allowance for <paramref name="context"/> tokens; null when the shape is unknown.</summary>
    public static long? NeedBytes(GgufInfo info, int context) =>
        KvCacheBytes(info, context) is { } cache ? info.SizeBytes + cache + ComputeAllowance : null;

    /// <summary>The context a model runs with under <paramref name="settings"/>: the configured one, never more than
    /// it was trained for (as <see cref="LocalLanguageModel.Load"/> does).</summary>
    public static int? Context(GgufInfo info, ModelSettings settings) =>
        info.ContextLength is { } trained ? Math.Min(settings.ContextSize ?? trained, trained) : null;

    /// <summary>"1.2 GB" / "340 MB".</summary>
    public static string Size(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GB"
        : (bytes / (double)(1L << 20)).ToString("0", CultureInfo.InvariantCulture) + " MB";
}
