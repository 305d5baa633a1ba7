using System.Globalization;

namespace Planner.Engine.Native;

/// <summary>The glibc allocator values <see cref="NativeHeap"/> changes: how many blocks may be served by their own
/// mapping, how much free memory at the top of a heap is kept rather than returned, how much more a heap grows by, and
/// from what size a block gets a mapping of its own (null: glibc's own threshold, which adapts until any value is set).</summary>
public sealed record HeapSettings(int MmapMax, int TrimThreshold, int TopPad, int? MmapThreshold = null)
{
    /// <summary>True when the process's environment gave any of these values, even one equal to glibc's: glibc's mmap
    /// threshold then never adapts.</summary>
    public bool FromEnvironment { get; init; }

    /// <summary>glibc's documented start values (mallopt(3)); its mmap threshold starts at 128 KiB and adapts.</summary>
    public static HeapSettings GlibcDefaults { get; } = new(MmapMax: 65536, TrimThreshold: 128 * 1024, TopPad: 128 * 1024);

    /// <summary>The largest mmap threshold glibc's adapting reaches on a 64-bit system (DEFAULT_MMAP_THRESHOLD_MAX):
    /// freeing a mapped block raises the threshold to that block's size, up to this, and the trim threshold to twice it.</summary>
    public const int AdaptedMmapThreshold = 32 << 20;

    /// <summary>What glibc's adapting threshold has reached after a training run frees its mapped blocks (the largest, up
    /// to <see cref="AdaptedMmapThreshold"/>): the values set when a hold ends in a process that started with glibc's
    /// adapting values, since the first change stops the adapting for good and would otherwise leave the start values.</summary>
    public static HeapSettings Adapted { get; } = GlibcDefaults with { TrimThreshold = 2 * AdaptedMmapThreshold, MmapThreshold = AdaptedMmapThreshold };

    /// <summary>The values a process starts with: glibc's, or those its environment sets (MALLOC_MMAP_MAX_,
    /// MALLOC_TRIM_THRESHOLD_, MALLOC_TOP_PAD_, MALLOC_MMAP_THRESHOLD_, or glibc.malloc.* in GLIBC_TUNABLES, which wins).
    /// Any of them set stops glibc's adapting from the start.</summary>
    public static HeapSettings AtStart(Func<string, string?> environment)
    {
        var tunables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (environment("GLIBC_TUNABLES") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Split('=', 2)))
            if (pair.Length == 2) tunables[pair[0].Trim()] = pair[1].Trim(); // a name given twice: the last wins, as in glibc
        int? Set(string tunable, string variable) => Parse(tunables.GetValueOrDefault("glibc.malloc." + tunable)) ?? Parse(environment(variable));
        var d = GlibcDefaults;
        var (max, trim, pad, threshold) = (Set("mmap_max", "MALLOC_MMAP_MAX_"), Set("trim_threshold", "MALLOC_TRIM_THRESHOLD_"),
            Set("top_pad", "MALLOC_TOP_PAD_"), Set("mmap_threshold", "MALLOC_MMAP_THRESHOLD_"));
        return new(max ?? d.MmapMax, trim ?? d.TrimThreshold, pad ?? d.TopPad, threshold)
        {
            FromEnvironment = max is not null || trim is not null || pad is not null || threshold is not null,
        };
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
