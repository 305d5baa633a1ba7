using Planner.Roadmaps;

namespace Planner.Scheduling;

/// <summary>A computed schedule: when each initiative runs, and what could not be honoured (deadlines, locks, capacity).</summary>
public sealed record Schedule(IReadOnlyList<ScheduledItem> Items, IReadOnlyList<RoadmapProblem> Problems)
{
    public int MakespanWeeks => Items.Count == 0 ? 0 : Items.Max(i => i.FinishWeek);

    public ScheduledItem? Find(string key) => Items.FirstOrDefault(i => i.Key == key);
}
