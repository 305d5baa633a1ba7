namespace Planner.Roadmaps;

/// <summary>A quote behind evidence: the review it comes from (id and source, so it links back), its text, the
/// classifier's verdicts, why it matched (the shared terms, as they appear in the review, and the match score), and
/// the founder's decision about it ("confirmed" or "linked"; null when the matcher alone put it there) with its importance.</summary>
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
    EvidenceImportance? Importance = null);
