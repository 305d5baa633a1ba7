using Planner.Roadmaps;

namespace Planner.Insights;

/// <summary>A review matched to an initiative: the score and the terms they share (as written in the review),
/// which is the "why it matched" shown to the founder; and the founder's decision when it was confirmed or linked by
/// hand (such a match counts whatever its score, weighted by its importance).</summary>
public sealed record ReviewMatch(string InitiativeKey, int ReviewIndex, double Score, IReadOnlyList<string> Terms,
    EvidenceDecision? Decision = null, EvidenceImportance Importance = EvidenceImportance.Normal)
{
    /// <summary>The cosine similarity of the review and the initiative in meaning, when matching was given one
    /// (<see cref="ITextMeaning"/>).</summary>
    public double? Similarity { get; init; }

    /// <summary>How many reviews this match counts as: one, or a decided link's weight.</summary>
    public double Weight => Decision is { } decision ? EvidenceLink.WeightOf(decision, Importance) : 1;
}
