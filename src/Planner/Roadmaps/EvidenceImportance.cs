namespace Planner.Roadmaps;

/// <summary>How much a confirmed or hand-made link weighs in the evidence: <see cref="Low"/> counts as half a review,
/// <see cref="Normal"/> as one, <see cref="High"/> as two.</summary>
public enum EvidenceImportance
{
    Low,
    Normal,
    High,
}
