using System.Runtime.InteropServices;

namespace Planner.Engine.Training;

/// <summary>Keeps libtorch's large temporaries in the C heap while training. glibc serves every allocation above its
/// mmap threshold (at most 32 MB) with a fresh mmap and gives it back on free, so each step's logits, activations and
/// gradients (hundreds of MB for the gpt2 shape) are faulted in page by page again, step after step — a fifth of the
/// CPU time went to the kernel. With mmap off and trimming deferred, freed blocks are reused. A thread other than the
/// process's first allocates from a thread arena whose heaps are at most 64 MB, so glibc still maps blocks larger than
/// that (the gpt2 shape's logits): the Engine benchmark, training on its own thread as the app does, measures 7 times
/// fewer page faults per step and 28–56 % more tokens/s for the tiny shape; 2.5 times fewer for the gpt2 shape, whose
/// speed change (−1 % to +21 %) stays within the shared machine's noise. Afterwards the defaults come back and the heap is
/// trimmed, so a long-running app returns the memory. glibc's allocator is tuned in place (mallopt) rather than
/// replaced (jemalloc, tcmalloc), which would need a native library outside NuGet and a preload at process start.
/// Elsewhere (Windows, macOS, musl) this does nothing.</summary>
public static class NativeHeap
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int TopPad = -2;        // M_TOP_PAD
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD
    private const int MmapMax = -4;       // M_MMAP_MAX

    private static readonly Lock Gate = new();
    private static int holders;

    /// <summary>Until disposed, large allocations stay in the heap (nested and concurrent holders share one setting).</summary>
    public static IDisposable KeepForTraining()
    {
        lock (Gate)
        {
            if (holders++ == 0)
                Apply([(MmapMax, 0), (TrimThreshold, int.MaxValue), (TopPad, 256 << 20)]);
        }
        return new Release();
    }

    private sealed class Release : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 1) return;
            lock (Gate)
            {
                if (--holders > 0) return;
                // glibc's defaults (the dynamic mmap threshold restarts from 128 KB), then hand the free memory back.
                Apply([(MmapMax, 65536), (MmapThreshold, 128 * 1024), (TrimThreshold, 128 * 1024), (TopPad, 128 * 1024)]);
                if (Available) _ = malloc_trim(0);
            }
        }
    }

    /// <summary>True where glibc's malloc can be tuned (Linux with glibc).</summary>
    public static bool Available { get; } = Probe();

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(TopPad, 128 * 1024) == 1; // the default value: a harmless call that says whether mallopt exists
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    private static void Apply((int Parameter, int Value)[] settings)
    {
        if (!Available) return;
        foreach (var (parameter, value) in settings) _ = mallopt(parameter, value);
    }

    // DllImport rather than LibraryImport: two blittable calls need no generated marshalling.
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
