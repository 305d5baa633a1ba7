namespace Planner.Roadmaps;

/// <summary>What customers said about an initiative, e.g. classified reviews matched to it: how many, what share of
/// all reviews, the strongest quotes, and the scoring inputs this suggests. Scores use the suggestions (and say so
/// in their breakdown) unless the initiative overrides evidence.</summary>
public sealed record Evidence(
    string Source,
    int Matched,
    double Share,
    IReadOnlyList<string> Quotes,
    double? SuggestedReach = null,
    double? SuggestedConfidence = null)
{
    /// <summary>Share of the matched reviews per predicted sentiment, largest first (empty when not classified).</summary>
    public IReadOnlyList<LabelShare> Sentiment { get; init; } = [];

    /// <summary>Share of the matched reviews per predicted category (theme), largest first.</summary>
    public IReadOnlyList<LabelShare> Categories { get; init; } = [];

    /// <summary>The strongest quotes with where they came from and why they matched (same order as <see cref="Quotes"/>).</summary>
    public IReadOnlyList<EvidenceQuote> Sources { get; init; } = [];

    /// <summary>How the suggested reach and confidence were derived, in words; null when nothing is suggested.</summary>
    public string? Basis { get; init; }

    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Matched} {Source} ({Share * 100:0}%)");

    /// <summary>One line: "14 reviews (7%) · negative 60% · feature request 50% · reach 1260 · confidence 0.85".</summary>
    public string Summary()
    {
        var parts = new List<string> { Describe() };
        if (Sentiment.Count > 0) parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Sentiment[0].Label} {Sentiment[0].Share * 100:0}%"));
        if (Categories.Count > 0) parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Categories[0].Label} {Categories[0].Share * 100:0}%"));
        if (SuggestedReach is { } r) parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"reach {r:0.##}"));
        if (SuggestedConfidence is { } c) parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"confidence {c:0.##}"));
        return string.Join(" · ", parts);
    }

    /// <summary>Same content (records compare lists by reference; evidence read back from storage is a new list).</summary>
    public bool SameAs(Evidence? other) =>
        other is not null && Source == other.Source && Matched == other.Matched && Share.Equals(other.Share)
        && SuggestedReach.Equals(other.SuggestedReach) && SuggestedConfidence.Equals(other.SuggestedConfidence) && Basis == other.Basis
        && Quotes.SequenceEqual(other.Quotes) && Sentiment.SequenceEqual(other.Sentiment) && Categories.SequenceEqual(other.Categories)
        && Sources.Select(s => s.ReviewId).SequenceEqual(other.Sources.Select(s => s.ReviewId));
}
