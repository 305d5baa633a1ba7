using System.Diagnostics;
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
    /// environment gave.</summary>
    [Fact]
    public void When_the_run_ends_the_values_in_force_before_are_set_again()
    {
        var start = new ProcessStartInfo(Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { typeof(NativeHeapTests).Assembly.Location, Program.HeapProbe },
            Environment = { ["MALLOC_TOP_PAD_"] = "262144", ["GLIBC_TUNABLES"] = "glibc.malloc.trim_threshold=0x30000" },
        };
        using var probe = Process.Start(start)!;
        var output = probe.StandardOutput.ReadToEnd().Trim();
        var errors = probe.StandardError.ReadToEnd();
        Assert.True(probe.WaitForExit(60_000), "the probe did not finish");
        Assert.True(probe.ExitCode == 0, errors);
        Assert.Equal("before: mapped; held: heap; after: mapped; in force before: 65536/196608/262144; after: 65536/196608/262144", output);
    }

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
        Assert.Equal(new HeapSettings(12, 0x2000, HeapSettings.GlibcDefaults.TopPad), set); // the tunable wins; nonsense is ignored, as glibc does
        var twice = HeapSettings.AtStart(v => v == "GLIBC_TUNABLES" ? "glibc.malloc.top_pad=1024:glibc.malloc.top_pad=2048" : null);
        Assert.Equal(2048, twice.TopPad); // a name given twice: the last wins
    }
}
