using System.Globalization;
using Planner.Roadmaps;

namespace Planner.Insights;

/// <summary>Turns matched, classified reviews into each initiative's <see cref="Evidence"/>:
/// <list type="bullet">
/// <item>matched count and share of all reviews; sentiment and category shares among the matched reviews;</item>
/// <item>the strongest quotes (the founder's confirmed and linked reviews first, then the best matches) with review id,
/// source, verdicts and the shared terms, and every matched review (up to <see cref="EvidenceSettings.ReviewsPerInitiative"/>)
/// for the founder to confirm or reject;</item>
/// <item>confirmed and linked reviews count whatever their match score, as many reviews as their importance says
/// (<see cref="EvidenceLink.Weight"/>), in the reach and the volume below;</item>
/// <item>suggested reach on the founder's own scale: the most-mentioned initiative gets the widest reach typed into
/// the roadmap, the others in proportion to how many reviews mention them;</item>
/// <item>suggested confidence from agreement: 0.5 + 0.5 × (mean probability the classifier gives the matched
/// reviews' most common category — or sentiment when there is no category classifier) × min(1, matched ÷
/// <see cref="EvidenceSettings.FullConfidenceAt"/>), rounded to 0.05 — so 50% is "unsure", 100% "many reviews
/// that agree".</item>
/// </list>
/// Fewer than <see cref="EvidenceSettings.MinMatchedForSuggestions"/> matches suggest nothing.</summary>
public static class EvidenceBuilder
{
    public const string Source = Evidence.ReviewsSource;
    private const double DefaultReachScale = 1000;

    /// <summary>Evidence per initiative key; null for an initiative no review matched.</summary>
    public static IReadOnlyDictionary<string, Evidence?> Build(Workspace workspace, IReadOnlyList<Review> reviews,
        IReadOnlyList<ReviewVerdict>? verdicts, IReadOnlyList<ReviewMatch> matches, EvidenceSettings? settings = null)
    {
        settings ??= EvidenceSettings.Default;
        if (verdicts is not null && verdicts.Count != reviews.Count)
            throw new ArgumentException($"{verdicts.Count} verdicts for {reviews.Count} reviews.", nameof(verdicts));
        var byInitiative = matches.GroupBy(m => m.InitiativeKey).ToDictionary(g => g.Key, g => g.ToList());
        var mostMatched = byInitiative.Count == 0 ? 0 : byInitiative.Values.Max(m => m.Sum(x => x.Weight));
        var reachScale = workspace.Initiatives.Select(i => i.Reach).OfType<double>().DefaultIfEmpty(DefaultReachScale).Max();

        var result = new Dictionary<string, Evidence?>(StringComparer.Ordinal);
        foreach (var initiative in workspace.Initiatives)
        {
            result[initiative.Key] = byInitiative.TryGetValue(initiative.Key, out var found) && found.Count > 0
                ? ForInitiative(found, reviews, verdicts, reviews.Count, mostMatched, reachScale, settings)
                : null;
        }
        return result;
    }

    private static Evidence ForInitiative(List<ReviewMatch> matches, IReadOnlyList<Review> reviews, IReadOnlyList<ReviewVerdict>? verdicts,
        int total, double mostMatched, double reachScale, EvidenceSettings settings)
    {
        var matched = matches.Count;
        var weighted = matches.Sum(m => m.Weight);
        var sentiments = verdicts is null ? [] : matches.Select(m => verdicts[m.ReviewIndex].Sentiment).OfType<LabelVerdict>().ToList();
        var categories = verdicts is null ? [] : matches.Select(m => verdicts[m.ReviewIndex].Category).OfType<LabelVerdict>().ToList();
        // The founder's own links first (the most important first), then the strongest matches.
        var strongest = matches.OrderByDescending(m => m.Decision is null ? 0 : 1 + m.Weight).ThenByDescending(m => m.Score)
            .ThenBy(m => reviews[m.ReviewIndex].Id, StringComparer.Ordinal)
            .Take(Math.Max(settings.ReviewsPerInitiative, settings.QuotesPerInitiative))
            .Select(m => Quote(m, reviews[m.ReviewIndex], verdicts?[m.ReviewIndex]))
            .ToList();

        double? reach = null, confidence = null;
        string? basis = null;
        if (matched >= settings.MinMatchedForSuggestions)
        {
            reach = Math.Round(reachScale * weighted / mostMatched / 10) * 10;
            var (agreement, on) = Agreement(categories.Count > 0 ? categories : sentiments);
            var volume = Math.Min(1.0, weighted / settings.FullConfidenceAt);
            confidence = on is null ? null : Math.Round((0.5 + 0.5 * agreement * volume) * 20) / 20;
            basis = string.Create(CultureInfo.InvariantCulture,
                $"reach {reach:0} = widest reach on the roadmap {reachScale:0} × {weighted:0.#} ÷ {mostMatched:0.#} matched reviews (the most for any initiative)")
                + (on is null ? "" : string.Create(CultureInfo.InvariantCulture,
                    $"; confidence {confidence:0.##} = 0.5 + 0.5 × agreement {agreement:0.##} on '{on}' × volume {volume:0.##}"));
        }
        return new Evidence(Source, matched, total == 0 ? 0 : (double)matched / total, [.. strongest.Take(settings.QuotesPerInitiative).Select(q => q.Text)], reach, confidence)
        {
            Confirmed = matches.Count(m => m.Decision == EvidenceDecision.Confirmed),
            Linked = matches.Count(m => m.Decision == EvidenceDecision.Linked),
            Sentiment = Shares(sentiments),
            Categories = Shares(categories),
            Sources = strongest,
            Basis = basis,
        };
    }

    /// <summary>The most common predicted label and the mean probability the classifier gives it over the reviews.</summary>
    private static (double Agreement, string? Label) Agreement(List<LabelVerdict> verdicts)
    {
        if (verdicts.Count == 0) return (0, null);
        var label = Shares(verdicts)[0].Label;
        return (verdicts.Average(v => v.Probabilities.GetValueOrDefault(label)), label);
    }

    private static List<LabelShare> Shares(List<LabelVerdict> verdicts) =>
        [.. verdicts.GroupBy(v => v.Label, StringComparer.Ordinal)
            .Select(g => new LabelShare(g.Key, (double)g.Count() / verdicts.Count))
            .OrderByDescending(s => s.Share).ThenBy(s => s.Label, StringComparer.Ordinal)];

    private static EvidenceQuote Quote(ReviewMatch match, Review review, ReviewVerdict? verdict) =>
        new(review.Id, review.Source, review.Text, match.Terms, Math.Round(match.Score, 2),
            verdict?.Sentiment?.Label, verdict?.Sentiment?.Probability, verdict?.Category?.Label, verdict?.Category?.Probability,
            match.Decision, match.Decision is null ? null : match.Importance, match.Similarity is { } similarity ? Math.Round(similarity, 2) : null);
}
