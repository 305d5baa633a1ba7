namespace Planner.Scheduling;

/// <summary>When one initiative runs: weeks are 0-based from the planning start; FinishWeek = StartWeek + duration
/// (the first week after the work), so a milestone has StartWeek == FinishWeek.</summary>
public sealed record ScheduledItem(string Key, int StartWeek, int FinishWeek);
