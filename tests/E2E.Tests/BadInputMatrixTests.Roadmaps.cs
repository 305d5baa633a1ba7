namespace Planner.E2E.Tests;

public sealed partial class BadInputMatrixTests
{
    /// <summary>Roadmaps and scenario specs at or past the domain's bounds, given to the CLI.</summary>
    private static readonly Dictionary<string, CliCase> RoadmapBoundCases = new()
    {
    };
}
