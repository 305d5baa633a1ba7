namespace Planner.Roadmaps;

/// <summary>The workspace's choice of framework and its custom weights on WSJF's cost-of-delay components
/// (also the "value" of value/effort). Weights of 1 give the textbook formulas.</summary>
public sealed record ScoringSettings(
    PrioritizationFramework Framework = PrioritizationFramework.Rice,
    double BusinessValueWeight = 1,
    double TimeCriticalityWeight = 1,
    double RiskReductionWeight = 1)
{
    public static ScoringSettings Default { get; } = new();
}
