namespace Planner.Prioritization;

/// <summary>An initiative's score under the workspace's framework, with a breakdown a founder can read
/// ("RICE 42 = reach 600 × impact 2 × confidence 0.7 ÷ effort 20") and the inputs that were missing.</summary>
public sealed record InitiativeScore(
    string Key,
    int Rank,
    double Value,
    string Breakdown,
    IReadOnlyList<string> Missing,
    string? Quadrant = null,
    bool UsesEvidence = false);
