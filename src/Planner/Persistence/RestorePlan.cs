using Planner.Roadmaps;

namespace Planner.Persistence;

/// <summary>What restoring a saved version would do, computed before anything is written: the roadmap it gives (the
/// version's initiatives on today's teams and objectives), what of the version cannot come back and is dropped (demand
/// on a team, or a link to an objective, that no longer exists), and the problems that refuse the restore.</summary>
public sealed record RestorePlan(RoadmapVersion? Version, Workspace? Roadmap, IReadOnlyList<string> Dropped, IReadOnlyList<RoadmapProblem> Problems)
{
    public bool Ok => Roadmap is not null && Problems.Count == 0;

    public static RestorePlan Refused(RoadmapVersion? version, string message) => new(version, null, [], [new RoadmapProblem(null, null, message)]);
}
