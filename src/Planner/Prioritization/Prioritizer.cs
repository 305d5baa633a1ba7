using System.Globalization;
using Planner.Roadmaps;

namespace Planner.Prioritization;

/// <summary>Scores and ranks initiatives. Deterministic: higher score first, ties broken by id (ordinal).
/// Done and dropped initiatives are not ranked.</summary>
public static class Prioritizer
{
    public static IReadOnlyList<InitiativeScore> Rank(Workspace workspace)
    {
        var settings = workspace.Scoring;
        var active = workspace.Initiatives.Where(i => i.Status is not (InitiativeStatus.Done or InitiativeStatus.Dropped)).ToList();
        var scored = active.Select(i => Score(i, settings)).ToList();
        if (settings.Framework == PrioritizationFramework.ValueEffort) scored = AddQuadrants(active, scored, settings);
        return [.. scored
            .OrderByDescending(s => s.Value)
            .ThenBy(s => s.Key, StringComparer.Ordinal)
            .Select((s, n) => s with { Rank = n + 1 })];
    }

    private static InitiativeScore Score(Initiative i, ScoringSettings settings) => settings.Framework switch
    {
        PrioritizationFramework.Rice => Rice(i),
        PrioritizationFramework.Wsjf => Wsjf(i, settings),
        PrioritizationFramework.MoSCoW => MoSCoWScore(i),
        PrioritizationFramework.ValueEffort => ValueEffort(i, settings),
        _ => throw new ArgumentOutOfRangeException(nameof(settings)),
    };

    /// <summary>Effort as given, else person-weeks from effort or duration × people; null when nothing says.</summary>
    public static double? EffortOf(Initiative i) =>
        i.Effort ?? i.EffortPersonWeeks ?? (i.ResolvedDurationWeeks is { } d && i.TotalPeople > 0 ? d * i.TotalPeople : null);

    private static InitiativeScore Rice(Initiative i)
    {
        var missing = new List<string>();
        var usesEvidence = i.Evidence is not null && !i.IgnoreEvidence;
        var reach = usesEvidence && i.Evidence!.SuggestedReach is { } r ? r : i.Reach;
        var confidence = usesEvidence && i.Evidence!.SuggestedConfidence is { } c ? c : i.Confidence;
        if (reach is null) missing.Add("reach");
        if (i.Impact is null) missing.Add("impact");
        if (confidence is null) missing.Add("confidence");
        var effort = EffortOf(i);
        if (effort is null) missing.Add("effort");
        var value = missing.Count == 0 && effort > 0 ? reach!.Value * i.Impact!.Value * confidence!.Value / effort!.Value : 0;
        var reachText = $"reach {N(reach)}" + (usesEvidence && i.Evidence!.SuggestedReach is not null ? $" (evidence: {i.Evidence.Describe()})" : "");
        var confidenceText = $"confidence {N(confidence)}" + (usesEvidence && i.Evidence!.SuggestedConfidence is not null ? " (evidence)" : "");
        var breakdown = $"RICE {N(value)} = {reachText} × impact {N(i.Impact)} × {confidenceText} ÷ effort {N(effort)}";
        if (effort is 0) breakdown += " (effort 0: not scored)";
        return new InitiativeScore(i.Key, 0, value, breakdown + MissingNote(missing), missing, UsesEvidence: usesEvidence);
    }

    private static InitiativeScore Wsjf(Initiative i, ScoringSettings s)
    {
        var missing = new List<string>();
        if (i.BusinessValue is null) missing.Add("businessValue");
        if (i.TimeCriticality is null) missing.Add("timeCriticality");
        if (i.RiskReduction is null) missing.Add("riskReduction");
        var size = EffortOf(i);
        if (size is null) missing.Add("effort");
        var costOfDelay = s.BusinessValueWeight * (i.BusinessValue ?? 0) + s.TimeCriticalityWeight * (i.TimeCriticality ?? 0) + s.RiskReductionWeight * (i.RiskReduction ?? 0);
        var value = size > 0 ? costOfDelay / size.Value : 0;
        var weights = s.BusinessValueWeight == 1 && s.TimeCriticalityWeight == 1 && s.RiskReductionWeight == 1;
        var parts = weights
            ? $"business value {N(i.BusinessValue)} + time criticality {N(i.TimeCriticality)} + risk reduction {N(i.RiskReduction)}"
            : $"{N(s.BusinessValueWeight)}×business value {N(i.BusinessValue)} + {N(s.TimeCriticalityWeight)}×time criticality {N(i.TimeCriticality)} + {N(s.RiskReductionWeight)}×risk reduction {N(i.RiskReduction)}";
        return new InitiativeScore(i.Key, 0, value, $"WSJF {N(value)} = ({parts}) ÷ job size {N(size)}" + MissingNote(missing), missing);
    }

    private static InitiativeScore MoSCoWScore(Initiative i)
    {
        var rice = Rice(i);
        var category = i.MoSCoW switch { MoSCoW.Must => 3, MoSCoW.Should => 2, MoSCoW.Could => 1, _ => 0 };
        var label = i.MoSCoW switch { MoSCoW.Must => "must have", MoSCoW.Should => "should have", MoSCoW.Could => "could have", MoSCoW.Wont => "won't have", _ => "not categorised" };
        // Category first; within a category RICE orders (squashed below 1 so it never crosses categories).
        var value = category + rice.Value / (1 + rice.Value);
        var missing = i.MoSCoW is null ? ["moscow", .. rice.Missing] : rice.Missing;
        return new InitiativeScore(i.Key, 0, value, $"MoSCoW: {label}; within it by {rice.Breakdown}", missing, UsesEvidence: rice.UsesEvidence);
    }

    private static InitiativeScore ValueEffort(Initiative i, ScoringSettings s)
    {
        var missing = new List<string>();
        var value = ValueOf(i, s);
        if (value is null) missing.Add("businessValue");
        var effort = EffortOf(i);
        if (effort is null) missing.Add("effort");
        var ratio = value is not null && effort > 0 ? value.Value / effort.Value : 0;
        return new InitiativeScore(i.Key, 0, ratio, $"value/effort {N(ratio)} = value {N(value)} ÷ effort {N(effort)}" + MissingNote(missing), missing);
    }

    /// <summary>Weighted business value + time criticality + risk reduction; null when none of the three is given.</summary>
    public static double? ValueOf(Initiative i, ScoringSettings s) =>
        i.BusinessValue is null && i.TimeCriticality is null && i.RiskReduction is null ? null
        : s.BusinessValueWeight * (i.BusinessValue ?? 0) + s.TimeCriticalityWeight * (i.TimeCriticality ?? 0) + s.RiskReductionWeight * (i.RiskReduction ?? 0);

    /// <summary>Quadrants split at the median value and the median effort of the scored initiatives (<see cref="ValueEffortMatrix"/>).</summary>
    private static List<InitiativeScore> AddQuadrants(List<Initiative> items, List<InitiativeScore> scores, ScoringSettings s)
    {
        var matrix = ValueEffortMatrix.Of(items, s);
        return [.. scores.Select(score => matrix.Find(score.Key) is { Quadrant: var quadrant }
            ? score with { Quadrant = quadrant, Breakdown = $"{score.Breakdown} — {quadrant}" }
            : score)];
    }

    private static string MissingNote(List<string> missing) => missing.Count == 0 ? "" : $" (missing: {string.Join(", ", missing)})";

    private static string N(double? value) => value is null ? "?" : value.Value.ToString("0.##", CultureInfo.InvariantCulture);
}
