using Planner.Roadmaps;

namespace Planner.Scheduling;

/// <summary>A computed schedule: when each initiative runs, how good that is (status, lower bound, gap), and what
/// could not be honoured (soft deadlines, capacity, locks), each with a reason.</summary>
public sealed record Schedule(IReadOnlyList<ScheduledItem> Items, IReadOnlyList<RoadmapProblem> Problems)
{
    public ScheduleStatus Status { get; init; } = ScheduleStatus.Feasible;
    public ScheduleObjective Objective { get; init; } = ScheduleObjective.Makespan;

    /// <summary>"cp-sat" or "heuristic": what produced the schedule.</summary>
    public string Method { get; init; } = "heuristic";

    /// <summary>The objective's value: weeks for makespan, Σ weight × finish week for weighted.</summary>
    public long ObjectiveValue { get; init; }

    /// <summary>No schedule can do better than this (same unit as <see cref="ObjectiveValue"/>).</summary>
    public long LowerBound { get; init; }

    /// <summary>No schedule of these initiatives can finish sooner than this many weeks (whatever the objective).</summary>
    public int MakespanLowerBound { get; init; }

    public TimeSpan SolveTime { get; init; }

    public int MakespanWeeks => Items.Count == 0 ? 0 : Items.Max(i => i.FinishWeek);

    /// <summary>(value − bound) ÷ value; 0 when proven optimal.</summary>
    public double Gap => ObjectiveValue <= 0 ? 0 : Math.Max(0, (double)(ObjectiveValue - LowerBound) / ObjectiveValue);

    public ScheduledItem? Find(string key) => Items.FirstOrDefault(i => i.Key == key);
}
