using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Planner.E2E.Tests;

/// <summary>How long a browser assertion waits for the page to get there. The browser tests run beside the other test
/// projects, and a save that re-schedules the roadmap can take longer than Playwright's default five seconds on a busy
/// two-core machine; waiting longer changes nothing when the page is right and only delays the failure when it is not.</summary>
internal static class ExpectTimeout
{
    public const float Milliseconds = 20_000;

#pragma warning disable CA2255 // a test assembly's one process-wide set-up; xunit 2 has no assembly fixture
    [ModuleInitializer]
    internal static void Set() => Assertions.SetDefaultExpectTimeout(Milliseconds);
#pragma warning restore CA2255
}
