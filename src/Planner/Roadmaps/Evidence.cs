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

    /// <summary>Matched reviews the founder confirmed (they count whatever the matcher scores them).</summary>
    public int Confirmed { get; init; }

    /// <summary>Reviews or document passages the founder linked by hand (counted among <see cref="Matched"/>).</summary>
    public int Linked { get; init; }

    /// <summary>Reviews the matcher found that the founder rejected: left out, and never matched again.</summary>
    public int Rejected { get; init; }

    /// <summary>"14 reviews (7%)", with the founder's decisions when there are any: "14 reviews (7%; 3 confirmed, 1 linked
    /// by hand, 2 rejected and left out)".</summary>
    public string Describe()
    {
        var decisions = new List<string>();
        if (Confirmed > 0) decisions.Add($"{Confirmed} confirmed");
        if (Linked > 0) decisions.Add($"{Linked} linked by hand");
        if (Rejected > 0) decisions.Add($"{Rejected} rejected and left out");
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Matched} {Source} ({Share * 100:0}%{(decisions.Count == 0 ? "" : "; " + string.Join(", ", decisions))})");
    }

    /// <summary>This evidence with one more decision of the founder's applied at once (the next evidence run applies
    /// every decision from scratch and updates the suggested reach and confidence): a rejected review leaves the quotes
    /// and the count; a confirmed one is marked; a linked one is added first. Null evidence starts from nothing.</summary>
    public static Evidence With(Evidence? evidence, EvidenceLink link)
    {
        evidence ??= new Evidence(ReviewsSource, 0, 0, []);
        var sources = evidence.Sources.ToList();
        var index = sources.FindIndex(q => q.ReviewId == link.ReviewId);
        var present = index >= 0;
        var matched = evidence.Matched;
        var rejected = evidence.Rejected;
        if (link.Decision == EvidenceDecision.Rejected)
        {
            if (present)
            {
                sources.RemoveAt(index);
                matched--;
                rejected++;
            }
        }
        else if (present)
        {
            sources[index] = sources[index] with { Decision = sources[index].Decision == EvidenceDecision.Linked ? EvidenceDecision.Linked : link.Decision, Importance = link.Importance };
        }
        else
        {
            sources.Insert(0, new EvidenceQuote(link.ReviewId, link.Source, link.Text, [], 0, Decision: link.Decision, Importance: link.Importance));
            matched++;
        }
        var quoteCount = Math.Max(evidence.Quotes.Count, Math.Min(sources.Count, 3));
        return evidence with
        {
            Matched = matched,
            Quotes = [.. sources.Take(quoteCount).Select(q => q.Text)],
            Sources = sources,
            Confirmed = sources.Count(q => q.Decision == EvidenceDecision.Confirmed),
            Linked = sources.Count(q => q.Decision == EvidenceDecision.Linked),
            Rejected = rejected,
        };
    }

    /// <summary>The source name of evidence from customer reviews.</summary>
    public const string ReviewsSource = "reviews";

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
        && (Confirmed, Linked, Rejected) == (other.Confirmed, other.Linked, other.Rejected)
        && Quotes.SequenceEqual(other.Quotes) && Sentiment.SequenceEqual(other.Sentiment) && Categories.SequenceEqual(other.Categories)
        && Sources.Select(s => (s.ReviewId, s.Decision)).SequenceEqual(other.Sources.Select(s => (s.ReviewId, s.Decision)));
}
