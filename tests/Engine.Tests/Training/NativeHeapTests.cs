using System.Runtime.InteropServices;
using Planner.Engine.Training;

namespace Planner.Engine.Tests.Training;

/// <summary>Alone: the setting is process-wide, and trainers running in parallel tests would hold it.</summary>
[CollectionDefinition(nameof(NativeHeapTests), DisableParallelization = true)]
public sealed class NativeHeapCollection;

[Collection(nameof(NativeHeapTests))]
public class NativeHeapTests
{
    /// <summary>Whether glibc served the block at <paramref name="block"/> with its own mmap: the IS_MMAPPED bit (2) of
    /// the chunk's size word, just before the block.</summary>
    private static bool Mapped(IntPtr block) => (Marshal.ReadInt64(block - 8) & 2) != 0;

    private static bool MappedWhenAllocated(nuint bytes)
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
        // Above glibc's largest mmap threshold (32 MB), below a thread arena's heap size (64 MB): by default a fresh
        // mapping, unless an earlier test left a free block that size in the arena (the heap then serves it anyway).
        const nuint Large = 40 << 20;
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
}
