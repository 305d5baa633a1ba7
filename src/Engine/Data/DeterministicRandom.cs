namespace Planner.Engine.Data;

/// <summary>Random streams derived from (seed, step, …) alone, so a resumed run draws exactly the batches an
/// uninterrupted run would have drawn without saving any generator state.</summary>
public static class DeterministicRandom
{
    public static Random For(int seed, params long[] coordinates)
    {
        var state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL);
        foreach (var c in coordinates) state = SplitMix(state ^ unchecked((ulong)c + 0x632BE59BD9B4E019UL));
        return new Random(unchecked((int)SplitMix(state)));
    }

    // SplitMix64 finaliser: a cheap, well-mixed hash (System.HashCode is randomised per process, so unusable here).
    private static ulong SplitMix(ulong z)
    {
        z = unchecked(z + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
