namespace Planner.Scenarios;

/// <summary>An initiative in both roadmaps whose computed dates differ: start and finish in each, and by how many days
/// the finish moved (positive: later).</summary>
public sealed record DateMove(string Key, string Title, DateOnly BeforeStart, DateOnly BeforeFinish, DateOnly AfterStart, DateOnly AfterFinish)
{
    public int StartDays => AfterStart.DayNumber - BeforeStart.DayNumber;
    public int FinishDays => AfterFinish.DayNumber - BeforeFinish.DayNumber;
}
