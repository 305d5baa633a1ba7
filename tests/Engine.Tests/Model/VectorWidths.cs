using System.Numerics;
using System.Runtime.Intrinsics;

namespace Planner.Engine.Tests.Model;

/// <summary>The vector widths a kernel with a process-wide width switch is tested in: each that runs in hardware here
/// (512 bits, and the platform's own), with one thread and two.</summary>
internal static class VectorWidths
{
    public static TheoryData<bool, int> AndThreads()
    {
        var data = new TheoryData<bool, int>();
        foreach (var wide in new[] { true, false }.Where(w => w ? Vector512.IsHardwareAccelerated : Vector.IsHardwareAccelerated))
            foreach (var threads in new[] { 1, 2 })
                data.Add(wide, threads);
        return data;
    }

    /// <summary>Runs <paramref name="test"/> with the kernel's switch (<paramref name="setWide"/>) at <paramref name="wide"/>,
    /// then sets it back to its default (512 bits where they run in hardware).</summary>
    public static T With<T>(Action<bool> setWide, bool wide, Func<T> test)
    {
        setWide(wide);
        try
        {
            return test();
        }
        finally
        {
            setWide(Vector512.IsHardwareAccelerated);
        }
    }
}
