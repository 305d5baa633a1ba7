namespace Planner.Roadmaps;

/// <summary>From this date on, the team has this many people (a hire, a departure, a re-org).</summary>
public sealed record CapacityChange(DateOnly From, int Capacity);
