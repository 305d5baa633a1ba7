namespace Planner.Roadmaps;

/// <summary>One roadmap item: what it is, what it needs, what constrains it, and the inputs to score it.</summary>
public sealed class Initiative
{
    public int Id { get; set; }
    public int WorkspaceId { get; set; }

    /// <summary>Stable id within the workspace, e.g. "i7"; dependencies and files refer to it.</summary>
    public required string Key { get; set; }
    public required string Title { get; set; }
    public string Description { get; set; } = "";
    public InitiativeStatus Status { get; set; } = InitiativeStatus.Planned;

    /// <summary>Position in the roadmap as the founder ordered it.</summary>
    public int Order { get; set; }

    /// <summary>Weeks the work takes; 0 makes it a milestone. When null, it follows from <see cref="EffortPersonWeeks"/>.</summary>
    public int? DurationWeeks { get; set; }

    /// <summary>Total person-weeks; used to derive the duration when <see cref="DurationWeeks"/> is not given.</summary>
    public double? EffortPersonWeeks { get; set; }

    public List<TeamDemand> Demand { get; set; } = [];
    public List<Dependency> Dependencies { get; set; } = [];

    public DateOnly? EarliestStart { get; set; }
    public DateOnly? Deadline { get; set; }

    /// <summary>A hard deadline must be met (the schedule is infeasible otherwise); a soft one is reported when missed.</summary>
    public bool DeadlineIsHard { get; set; }

    /// <summary>The start is fixed to the week containing this date.</summary>
    public DateOnly? LockedStart { get; set; }

    // Scoring inputs (RICE, WSJF, MoSCoW). Null means "not estimated yet".
    public double? Reach { get; set; }
    public double? Impact { get; set; }
    public double? Confidence { get; set; }
    public double? Effort { get; set; }
    public double? BusinessValue { get; set; }
    public double? TimeCriticality { get; set; }
    public double? RiskReduction { get; set; }
    public MoSCoW? MoSCoW { get; set; }

    public List<string> ObjectiveKeys { get; set; } = [];

    /// <summary>Free-text labels ("mobile", "compliance"), kept as <see cref="InitiativeTags.Normalize"/> leaves them:
    /// trimmed, unique ignoring case, at most <see cref="RoadmapBounds.MaxTags"/> of <see cref="RoadmapBounds.MaxTagLength"/> characters.</summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>Customer evidence for this initiative (e.g. matched reviews); it informs reach and confidence.</summary>
    public Evidence? Evidence { get; set; }

    /// <summary>The founder's override: score from the typed-in reach and confidence, not from the evidence.</summary>
    public bool IgnoreEvidence { get; set; }

    /// <summary>The issue tracker it was imported from ("jira", "linear", "github", "productboard"), null when made in
    /// Planner. A re-import of that tracker's export updates it by <see cref="Key"/> and lists it when it has gone.</summary>
    public string? Source { get; set; }

    /// <summary>Optimistic-concurrency version: each save increments it; a save from a stale copy is refused.</summary>
    public int Version { get; set; }

    public bool IsMilestone => ResolvedDurationWeeks == 0;

    /// <summary>Neither a duration nor an effort: scheduled at the workspace's default estimate, and marked as such.</summary>
    public bool IsUnestimated => DurationWeeks is null && EffortPersonWeeks is null;

    /// <summary>People demanded over all teams (saturating: an absurd demand is the validator's to report, not an overflow).</summary>
    public int TotalPeople => (int)Math.Clamp(Demand.Sum(d => (long)d.People), int.MinValue, int.MaxValue);

    /// <summary>Duration in weeks: as given, or effort spread over the people demanded (rounded up).</summary>
    public int? ResolvedDurationWeeks =>
        DurationWeeks ?? (EffortPersonWeeks is { } effort && TotalPeople > 0 ? (int)Math.Ceiling(effort / TotalPeople - 1e-9) : null);

    /// <summary>Takes every field a founder can edit from <paramref name="other"/>; identity (Id, Key, Version) stays.</summary>
    public void CopyEditableFrom(Initiative other)
    {
        Title = other.Title;
        Description = other.Description;
        Status = other.Status;
        DurationWeeks = other.DurationWeeks;
        EffortPersonWeeks = other.EffortPersonWeeks;
        Demand = [.. other.Demand];
        Dependencies = [.. other.Dependencies];
        EarliestStart = other.EarliestStart;
        Deadline = other.Deadline;
        DeadlineIsHard = other.DeadlineIsHard;
        LockedStart = other.LockedStart;
        Reach = other.Reach;
        Impact = other.Impact;
        Confidence = other.Confidence;
        Effort = other.Effort;
        BusinessValue = other.BusinessValue;
        TimeCriticality = other.TimeCriticality;
        RiskReduction = other.RiskReduction;
        MoSCoW = other.MoSCoW;
        ObjectiveKeys = [.. other.ObjectiveKeys];
        Tags = [.. other.Tags];
        Evidence = other.Evidence;
        IgnoreEvidence = other.IgnoreEvidence;
    }

    /// <summary>A copy that shares nothing mutable with this one (for editing forms and scenarios).</summary>
    public Initiative Clone()
    {
        var copy = (Initiative)MemberwiseClone(); // identity (Id, Key, Version, Order, WorkspaceId) as it is
        copy.CopyEditableFrom(this);              // the rest, its lists copied
        return copy;
    }
}
