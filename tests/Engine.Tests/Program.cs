using Planner.Engine.Native;
using Planner.Engine.Tests.Native;

namespace Planner.Engine.Tests;

/// <summary>The test assembly's own entry point, for the one test that needs a process of its own
/// (<see cref="NativeHeapTests"/>); the test runner never calls it.</summary>
public static class Program
{
    public const string HeapProbe = "--native-heap-probe";

    public static int Main(string[] args)
    {
        if (args is not [HeapProbe]) return 0;
        // On the process's first thread: the main arena, which a trim gives back to the system.
        static string Where(nuint bytes) => NativeHeapTests.MappedWhenAllocated(bytes) ? "mapped" : "heap";
        static string Values(HeapSettings s) => $"{s.MmapMax}/{s.TrimThreshold}/{s.TopPad}/{s.MmapThreshold?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unset"}";
        var before = Where(NativeHeapTests.Large);
        var inForce = NativeHeap.InForce;
        string held;
        using (NativeHeap.KeepForTraining()) held = Where(NativeHeapTests.Large);
        Console.WriteLine($"before: {before}; held: {held}; after: {Where(NativeHeapTests.Large)}, {Where(NativeHeapTests.Medium)} at 16 MB; " +
                          $"in force before: {Values(inForce)}; after: {Values(NativeHeap.InForce)}");
        return 0;
    }
}
