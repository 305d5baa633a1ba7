namespace Planner.Sharing;

/// <summary>A date stakeholders should know: the plan's start and end, milestones, deadlines.</summary>
public sealed record ShareDate(DateOnly Date, string What);
