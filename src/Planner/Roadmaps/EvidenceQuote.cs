namespace Planner.Roadmaps;

/// <summary>A quote behind evidence: the review it comes from (id and source, so it links back), its text, the
/// classifier's verdicts, why it matched (the shared terms, as they appear in the review, and the match score), and
/// the founder's decision about it ("confirmed" or "linked"; null when the matcher alone put it there) with its importance,
/// and how close the review and the initiative are in meaning (the cosine similarity of their sentence embeddings; null
/// when matching did not check meaning, or for a review linked by hand).</summary>
public sealed record EvidenceQuote(
    string ReviewId,
    string Source,
    string Text,
    IReadOnlyList<string> MatchedTerms,
    double Score,
    string? Sentiment = null,
    double? SentimentProbability = null,
    string? Category = null,
    double? CategoryProbability = null,
    EvidenceDecision? Decision = null,
    EvidenceImportance? Importance = null,
    double? Similarity = null);
