using System.Text.Json.Serialization;
using Planner.Roadmaps;

namespace Planner.Interchange;

/// <summary>The roadmap file (docs/roadmap-format.md): a workspace, its teams, objectives and initiatives.
/// Plain data for System.Text.Json; <see cref="RoadmapMapper"/> turns it into the domain and back.</summary>
public sealed class RoadmapDocument
{
    public int FormatVersion { get; set; } = RoadmapJson.CurrentFormatVersion;
    public string? Name { get; set; }
    public DateOnly? Start { get; set; }
    public string? Company { get; set; }
    public string? Vision { get; set; }
    public string? Stage { get; set; }
    public int? RunwayMonths { get; set; }
    public int? DefaultEstimateWeeks { get; set; }
    public PrioritizationDocument? Prioritization { get; set; }
    public List<TeamDocument>? Teams { get; set; }
    public List<ObjectiveDocument>? Objectives { get; set; }
    public List<InitiativeDocument>? Initiatives { get; set; }
}

public sealed class TeamDocument
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public int Capacity { get; set; }
    public List<CapacityChangeDocument>? CapacityChanges { get; set; }
}

public sealed class CapacityChangeDocument
{
    public DateOnly From { get; set; }
    public int Capacity { get; set; }
}

public sealed class ObjectiveDocument
{
    public string? Id { get; set; }
    public string? Title { get; set; }
    public List<KeyResultDocument>? KeyResults { get; set; }
}

public sealed class InitiativeDocument
{
    public string? Id { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Status { get; set; }
    public int? DurationWeeks { get; set; }
    public double? EffortPersonWeeks { get; set; }
    public Dictionary<string, int>? Demand { get; set; }
    public List<DependencyDocument>? DependsOn { get; set; }
    public DateOnly? EarliestStart { get; set; }
    public DateOnly? Deadline { get; set; }
    public bool? DeadlineHard { get; set; }
    public DateOnly? LockedStart { get; set; }
    public double? Reach { get; set; }
    public double? Impact { get; set; }
    public double? Confidence { get; set; }
    public double? Effort { get; set; }
    public double? BusinessValue { get; set; }
    public double? TimeCriticality { get; set; }
    public double? RiskReduction { get; set; }
    public string? Moscow { get; set; }
    public List<string>? Objectives { get; set; }
    public List<string>? Tags { get; set; }
    public EvidenceDocument? Evidence { get; set; }
    public bool? IgnoreEvidence { get; set; }
    public string? Source { get; set; }
}

public sealed class PrioritizationDocument
{
    public string? Framework { get; set; }
    public double? BusinessValueWeight { get; set; }
    public double? TimeCriticalityWeight { get; set; }
    public double? RiskReductionWeight { get; set; }
}

public sealed class EvidenceDocument
{
    public string? Source { get; set; }
    public int Matched { get; set; }
    public double Share { get; set; }
    public List<string>? Quotes { get; set; }
    public double? SuggestedReach { get; set; }
    public double? SuggestedConfidence { get; set; }
    public List<LabelShare>? Sentiment { get; set; }
    public List<LabelShare>? Categories { get; set; }
    public List<EvidenceQuote>? Sources { get; set; }
    public string? Basis { get; set; }

    /// <summary>The founder's decisions: reviews confirmed, linked by hand, and rejected (left out). Written when not 0.</summary>
    public int? Confirmed { get; set; }
    public int? Linked { get; set; }
    public int? Rejected { get; set; }
}

/// <summary>A dependency: written as the predecessor's id, or as {"id": ..., "lagWeeks": n} when there is a lag.</summary>
[JsonConverter(typeof(DependencyDocumentConverter))]
public sealed record DependencyDocument(string Id, int LagWeeks = 0);

/// <summary>A key result: plain text ("Median close time from 9 to 5 days"), or measured
/// ({"text": "Median close time", "unit": "days", "start": 9, "current": 7, "target": 5}).</summary>
[JsonConverter(typeof(KeyResultDocumentConverter))]
public sealed record KeyResultDocument(string Text, string? Unit = null, double? Start = null, double? Current = null, double? Target = null);
