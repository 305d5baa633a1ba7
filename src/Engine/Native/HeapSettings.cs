using System.Globalization;

namespace Planner.Engine.Native;

/// <summary>The glibc allocator values <see cref="NativeHeap"/> changes: how many blocks may be served by their own
/// mapping, how much free memory at the top of a heap is kept rather than returned, and how much more a heap grows by.</summary>
public sealed record HeapSettings(int MmapMax, int TrimThreshold, int TopPad)
{
    /// <summary>glibc's documented start values (mallopt(3)).</summary>
    public static HeapSettings GlibcDefaults { get; } = new(MmapMax: 65536, TrimThreshold: 128 * 1024, TopPad: 128 * 1024);

    /// <summary>The values a process starts with: glibc's, or those its environment sets (MALLOC_MMAP_MAX_,
    /// MALLOC_TRIM_THRESHOLD_, MALLOC_TOP_PAD_, or glibc.malloc.* in GLIBC_TUNABLES, which wins).</summary>
    public static HeapSettings AtStart(Func<string, string?> environment)
    {
        var tunables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (environment("GLIBC_TUNABLES") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Split('=', 2)))
            if (pair.Length == 2) tunables[pair[0].Trim()] = pair[1].Trim(); // a name given twice: the last wins, as in glibc
        int Value(string tunable, string variable, int fallback) =>
            Parse(tunables.GetValueOrDefault("glibc.malloc." + tunable)) ?? Parse(environment(variable)) ?? fallback;
        var d = GlibcDefaults;
        return new(Value("mmap_max", "MALLOC_MMAP_MAX_", d.MmapMax), Value("trim_threshold", "MALLOC_TRIM_THRESHOLD_", d.TrimThreshold),
            Value("top_pad", "MALLOC_TOP_PAD_", d.TopPad));
    }

    /// <summary>A number as glibc reads one: decimal, or hexadecimal with 0x; null when absent or not a number in range.</summary>
    private static int? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        return long.TryParse(hex ? text[2..] : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var value)
               && value is >= 0 and <= int.MaxValue
            ? (int)value
            : null;
    }
}
