using System.Runtime.CompilerServices;
using Planner.Engine.Native;

namespace Planner.Engine.Tests.Native;

internal static class NativeSetupFirst
{
    /// <summary>The test assembly is a host: it applies the Engine's native set-up before any test's first matrix
    /// multiply (MKL settles its kernels at its first multiply, and tests run in any order), from the environment as a
    /// host reads its configuration (Planner__Engine__*, or the legacy PLANNER_MKL_VENDOR_CHECK).</summary>
#pragma warning disable CA2255 // a test assembly's one process-wide set-up; xunit 2 has no assembly fixture
    [ModuleInitializer]
    internal static void Apply()
    {
        var arguments = Environment.GetCommandLineArgs();
        if (arguments.Contains(Program.HeapProbe) || arguments.Contains(Program.HugePagesProbe)) return; // a probe's process: nothing but glibc
        EngineNative.Apply(FromEnvironment());
    }
#pragma warning restore CA2255

    internal static EngineNativeOptions FromEnvironment() =>
        EngineNativeOptions.Read(key => Environment.GetEnvironmentVariable(key.Replace(":", "__", StringComparison.Ordinal)), keepTrainingHeapByDefault: false);
}
