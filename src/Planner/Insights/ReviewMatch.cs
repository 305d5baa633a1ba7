namespace Planner.Insights;

/// <summary>A review matched to an initiative: the score and the terms they share (as written in the review),
/// which is the "why it matched" shown to the founder.</summary>
public sealed record ReviewMatch(string InitiativeKey, int ReviewIndex, double Score, IReadOnlyList<string> Terms);
