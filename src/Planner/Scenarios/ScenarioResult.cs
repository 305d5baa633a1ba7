using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Scenarios;

/// <summary>A what-if, computed: the changed workspace (a copy), both schedules, the diff and a plain-language summary
/// written by code from those numbers. Nothing here is saved until the founder applies it.</summary>
public sealed record ScenarioResult(
    IReadOnlyList<ScenarioChange> Changes,
    Workspace Scenario,
    Schedule Baseline,
    Schedule ScenarioSchedule,
    ScheduleDiff Diff,
    string Summary,
    IReadOnlyList<RoadmapProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}
