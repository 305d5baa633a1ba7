namespace Planner.Roadmaps;

/// <summary>What the founder decided about a review or passage for an initiative.</summary>
public enum EvidenceDecision
{
    /// <summary>A matched review is about this initiative: it counts whatever the matcher scores it next time.</summary>
    Confirmed,

    /// <summary>A matched review is not about this initiative: it never matches it again.</summary>
    Rejected,

    /// <summary>A review or document passage the founder linked by hand: it counts like a matched review.</summary>
    Linked,
}
