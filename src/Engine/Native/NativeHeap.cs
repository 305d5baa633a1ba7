using System.Runtime.InteropServices;

namespace Planner.Engine.Native;

/// <summary>Keeps libtorch's large temporaries in the C heap while a run trains. glibc serves an allocation above its
/// mmap threshold with a fresh mapping and unmaps it on free, so each step's activations and gradients would be faulted
/// in page by page again, step after step. With mmap off and trimming deferred, freed blocks are reused. A thread other
/// than the process's first allocates from a thread arena whose heaps hold at most 64 MB, so glibc still maps blocks
/// larger than that. The setting is process-wide (every thread's allocations, Kestrel's and llama.cpp's too), so a host
/// chooses it (<see cref="EngineNativeOptions.KeepTrainingHeap"/>) and the hold ends with the run: the values in force
/// before are set again and the heap is trimmed. glibc has no getters, so "in force" means what this class knows:
/// glibc's documented start values, or the ones the process's environment set (MALLOC_*_ variables, GLIBC_TUNABLES), or
/// the last ones set here. One thing cannot be undone: glibc's dynamic mmap threshold stops adapting at the first
/// change of any of these values, and keeps the threshold it had reached; so a hold in a process that started with
/// glibc's adapting values ends with the most the adapting can reach (what a run's freed blocks of 32 MiB take it to). glibc's allocator is tuned in place rather
/// than replaced (jemalloc, tcmalloc), which would need a native library outside NuGet and a preload at process start.
/// Elsewhere (Windows, macOS, musl) this does nothing.</summary>
public static class NativeHeap
{
    private const int TrimThresholdParameter = -1; // M_TRIM_THRESHOLD
    private const int TopPadParameter = -2;        // M_TOP_PAD
    private const int MmapThresholdParameter = -3; // M_MMAP_THRESHOLD
    private const int MmapMaxParameter = -4;       // M_MMAP_MAX

    /// <summary>While a run trains: no fresh mappings, no trimming, and the heap grown in large steps.</summary>
    public static HeapSettings Training { get; } = new(MmapMax: 0, TrimThreshold: int.MaxValue, TopPad: 256 << 20);

    private static readonly Lock Gate = new();
    private static int holders;
    private static HeapSettings inForce = HeapSettings.AtStart(Environment.GetEnvironmentVariable);
    private static HeapSettings? beforeHold;

    /// <summary>The values in force now, as far as this process has set them (see the class summary).</summary>
    public static HeapSettings InForce
    {
        get { lock (Gate) return inForce; }
    }

    /// <summary>Until disposed, large allocations stay in the heap (nested and concurrent holders share one setting); the
    /// last holder to leave sets the values that were in force before the first one came, and trims the heap. Where those
    /// were glibc's adapting start values, it sets the most the adapting can reach instead
    /// (<see cref="HeapSettings.Adapted"/>): the start values, fixed for good, made the work after a run take more page faults
    /// and time (docs/benchmarks.md, "What a training run leaves behind").</summary>
    public static IDisposable KeepForTraining()
    {
        lock (Gate)
        {
            if (holders++ == 0)
            {
                beforeHold = inForce;
                Set(Training);
            }
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
                Set(beforeHold == HeapSettings.GlibcDefaults ? HeapSettings.Adapted : beforeHold!);
                beforeHold = null;
                if (Available) _ = malloc_trim(0); // hand the free memory back
            }
        }
    }

    /// <summary>True where glibc's malloc can be tuned (Linux with glibc).</summary>
    public static bool Available { get; } = Probe();

    /// <summary>Looks for glibc's mallopt without calling it: any call is a change (see the class summary).</summary>
    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc)) return false;
        try
        {
            return NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _) && NativeLibrary.TryGetExport(libc, "mallopt", out _);
        }
        finally
        {
            NativeLibrary.Free(libc);
        }
    }

    private static void Set(HeapSettings settings)
    {
        if (Available)
        {
            _ = mallopt(MmapMaxParameter, settings.MmapMax);
            _ = mallopt(TrimThresholdParameter, settings.TrimThreshold);
            _ = mallopt(TopPadParameter, settings.TopPad);
            if (settings.MmapThreshold is { } threshold) _ = mallopt(MmapThresholdParameter, threshold);
        }
        inForce = settings;
    }

    // DllImport rather than LibraryImport: two blittable calls need no generated marshalling.
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
