namespace Planner.Roadmaps;

/// <summary>Finish-to-start: this initiative starts at least <see cref="LagWeeks"/> after the predecessor finishes.</summary>
public sealed record Dependency(string PredecessorKey, int LagWeeks = 0);
