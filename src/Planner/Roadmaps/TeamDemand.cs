namespace Planner.Roadmaps;

/// <summary>How many people of a team an initiative occupies in every week it runs.</summary>
public sealed record TeamDemand(string TeamKey, int People);
