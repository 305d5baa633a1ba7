using Planner.Engine.Native;
using Planner.Engine.Tests.Native;

namespace Planner.Engine.Tests;

/// <summary>The test assembly's own entry point, for the tests that need a process of their own
/// (<see cref="NativeHeapTests"/>, <see cref="HugePagesTests"/>); the test runner never calls it.</summary>
public static class Program
{
    public const string HeapProbe = "--native-heap-probe";
    public const string HugePagesProbe = "--huge-pages-probe";

    public static int Main(string[] args)
    {
        if (args is [HugePagesProbe, .. var rest])
        {
            // Each start says so; the process starts again (same id) where glibc can be made to ask for huge pages.
            Console.WriteLine($"start {Environment.ProcessId}");
            var notAgain = HugePages.StartAskingForThem();
            Console.WriteLine($"{HugePages.Status.Outcome}; arguments: {string.Join("|", rest)}; GLIBC_TUNABLES={Environment.GetEnvironmentVariable("GLIBC_TUNABLES")}; " +
                              $"diagnostics port listening: {HugePagesTests.DiagnosticsPortListens()}; not again: {notAgain}");
            return 0;
        }
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
