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
        string Where() => NativeHeapTests.MappedWhenAllocated(NativeHeapTests.Large) ? "mapped" : "heap";
        static string Values(HeapSettings s) => $"{s.MmapMax}/{s.TrimThreshold}/{s.TopPad}";
        var before = Where();
        var inForce = NativeHeap.InForce;
        string held;
        using (NativeHeap.KeepForTraining()) held = Where();
        Console.WriteLine($"before: {before}; held: {held}; after: {Where()}; in force before: {Values(inForce)}; after: {Values(NativeHeap.InForce)}");
        return 0;
    }
}
