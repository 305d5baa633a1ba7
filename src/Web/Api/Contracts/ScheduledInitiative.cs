namespace Planner.Web.Api.Contracts;

/// <summary>When one initiative runs: weeks from the plan's start (finish is the first week after the work) and dates.</summary>
public sealed record ScheduledInitiative(string Key, string Title, int StartWeek, int FinishWeek, DateOnly Start, DateOnly Finish);
