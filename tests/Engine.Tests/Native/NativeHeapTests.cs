using System.Runtime.InteropServices;
using Planner.Engine.Native;

namespace Planner.Engine.Tests.Native;

/// <summary>Alone: the setting is process-wide, and trainers running in parallel tests would hold it.</summary>
[CollectionDefinition(nameof(NativeHeapTests), DisableParallelization = true)]
public sealed class NativeHeapCollection;

[Collection(nameof(NativeHeapTests))]
public class NativeHeapTests
{
    /// <summary>Above glibc's largest mmap threshold (32 MB), below a thread arena's heap size (64 MB): by default a fresh
    /// mapping, unless a free block that size is already in the arena (the heap then serves it anyway).</summary>
    internal const nuint Large = 40 << 20;

    /// <summary>Below glibc's largest mmap threshold: a fresh mapping at glibc's start values, from the heap once the
    /// threshold has adapted to a run's blocks.</summary>
    internal const nuint Medium = 16 << 20;

    /// <summary>Whether glibc served the block at <paramref name="block"/> with its own mmap: the IS_MMAPPED bit (2) of
    /// the chunk's size word, just before the block.</summary>
    private static bool Mapped(IntPtr block) => (Marshal.ReadInt64(block - 8) & 2) != 0;

    internal static bool MappedWhenAllocated(nuint bytes)
    {
        var block = Marshal.AllocHGlobal((nint)bytes); // malloc on Linux
        try
        {
            return Mapped(block);
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }

    [Fact]
    public void While_training_a_large_block_comes_from_the_heap_not_from_a_fresh_mapping()
    {
        Assert.True(NativeHeap.Available, "this Linux/glibc machine should allow tuning malloc");
        // On a fresh thread, as training runs (with an arena of its own, unlike the process's first thread).
        var (during, nested) = (true, true);
        var thread = new Thread(() =>
        {
            using (NativeHeap.KeepForTraining())
            {
                during = MappedWhenAllocated(Large);
                using (NativeHeap.KeepForTraining()) { }
                nested = MappedWhenAllocated(Large); // an inner holder leaving does not end the outer one's setting
            }
        });
        thread.Start();
        thread.Join();
        Assert.Equal((false, false), (during, nested));
    }

    /// <summary>In a process of its own (the setting is process-wide, and only the first thread's arena gives memory back
    /// to the system on a trim): a large block is a fresh mapping before, comes from the heap while a run holds it, and
    /// is a fresh mapping again once the hold ends — the values in force before are set again, here the ones the
    /// environment gave (which stop glibc's adapting from the start, so a 16 MB block is mapped too).</summary>
    [Fact]
    public void When_the_run_ends_the_values_the_environment_gave_are_set_again()
    {
        var output = Probe(new Dictionary<string, string> { ["MALLOC_TOP_PAD_"] = "262144", ["GLIBC_TUNABLES"] = "glibc.malloc.trim_threshold=0x30000" });
        Assert.Equal("before: mapped; held: heap; after: mapped, mapped at 16 MB; in force before: 65536/196608/262144/unset; after: 65536/196608/262144/unset", output);
    }

    /// <summary>A value the environment gives equal to glibc's own still stops glibc's adapting: it is set back as given.</summary>
    [Fact]
    public void A_value_the_environment_gives_equal_to_glibcs_is_set_back_as_given()
    {
        var output = Probe(new Dictionary<string, string> { ["MALLOC_TOP_PAD_"] = "131072" });
        Assert.Equal("before: mapped; held: heap; after: mapped, mapped at 16 MB; in force before: 65536/131072/131072/unset; after: 65536/131072/131072/unset", output);
    }

    /// <summary>With glibc's own start values, a hold's end sets what glibc's adapting threshold reaches after a run (its
    /// largest, 32 MB, and a trim threshold of twice that), not the start values: the first change stops the adapting
    /// for good, and the start values fixed for good made the work after a run slower (docs/benchmarks.md).</summary>
    [Fact]
    public void When_the_run_ends_in_a_process_with_glibcs_own_values_the_adapted_values_are_set()
    {
        var output = Probe([]);
        Assert.Equal("before: mapped; held: heap; after: mapped, heap at 16 MB; in force before: 65536/131072/131072/unset; after: 65536/67108864/131072/33554432", output);
    }

    private static string Probe(Dictionary<string, string> environment) =>
        ProbeProcess.Run([Program.HeapProbe], environment, "MALLOC_TOP_PAD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_MAX_", "MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES");

    [Fact]
    public void The_start_values_are_glibcs_unless_the_environment_sets_them()
    {
        Assert.Equal(HeapSettings.GlibcDefaults, HeapSettings.AtStart(_ => null));
        var set = HeapSettings.AtStart(v => v switch
        {
            "MALLOC_MMAP_MAX_" => "12",
            "MALLOC_TRIM_THRESHOLD_" => "4096",
            "GLIBC_TUNABLES" => "glibc.malloc.trim_threshold=0x2000:glibc.malloc.tcache_count=0",
            "MALLOC_TOP_PAD_" => "not a number",
            _ => null,
        });
        Assert.Equal(new HeapSettings(12, 0x2000, HeapSettings.GlibcDefaults.TopPad) { FromEnvironment = true }, set); // the tunable wins; nonsense is ignored, as glibc does
        var twice = HeapSettings.AtStart(v => v == "GLIBC_TUNABLES" ? "glibc.malloc.top_pad=1024:glibc.malloc.top_pad=2048" : null);
        Assert.Equal(2048, twice.TopPad); // a name given twice: the last wins
        Assert.Equal(65536, HeapSettings.AtStart(v => v == "MALLOC_MMAP_THRESHOLD_" ? "65536" : null).MmapThreshold);
        Assert.Null(HeapSettings.GlibcDefaults.MmapThreshold); // glibc's own, adapting
        // A value given equal to glibc's own still stops the adapting: not taken for glibc's start (the hold's end sets it back).
        Assert.NotEqual(HeapSettings.GlibcDefaults, HeapSettings.AtStart(v => v == "MALLOC_TOP_PAD_" ? "131072" : null));
    }
}
