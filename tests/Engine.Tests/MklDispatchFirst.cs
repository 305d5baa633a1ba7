using System.Runtime.CompilerServices;
using Planner.Engine.Training;

namespace Planner.Engine.Tests;

internal static class MklDispatchFirst
{
    /// <summary>Before any test's first matrix multiply, as a host's first model does (MKL settles its kernels at its
    /// first multiply, and tests that multiply without making a model run in any order).</summary>
#pragma warning disable CA2255 // a test assembly's one process-wide set-up; xunit 2 has no assembly fixture
    [ModuleInitializer]
    internal static void Apply() => MklDispatch.Apply();
#pragma warning restore CA2255
}
