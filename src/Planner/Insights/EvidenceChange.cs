using System.Globalization;
using Planner.Roadmaps;

namespace Planner.Insights;

/// <summary>How one initiative's evidence changed between two runs, in a line a founder can read.</summary>
public sealed record EvidenceChange(string Key, string Title, Evidence? Before, Evidence? After)
{
    public IReadOnlyList<string> QuotesAdded => [.. Ids(After).Except(Ids(Before))];
    public IReadOnlyList<string> QuotesRemoved => [.. Ids(Before).Except(Ids(After))];

    public string Summary
    {
        get
        {
            if (Before is null) return $"new: {After!.Describe()}";
            if (After is null) return $"no longer matched (was {Before.Describe()})";
            var parts = new List<string>();
            if (Before.Matched != After.Matched) parts.Add($"{Before.Matched} → {After.Matched} {After.Source}");
            if (Top(Before.Sentiment) != Top(After.Sentiment)) parts.Add($"mostly {Top(Before.Sentiment) ?? "?"} → {Top(After.Sentiment) ?? "?"}");
            if (Top(Before.Categories) != Top(After.Categories)) parts.Add($"theme {Top(Before.Categories) ?? "?"} → {Top(After.Categories) ?? "?"}");
            if (!Before.SuggestedReach.Equals(After.SuggestedReach)) parts.Add($"reach {N(Before.SuggestedReach)} → {N(After.SuggestedReach)}");
            if (!Before.SuggestedConfidence.Equals(After.SuggestedConfidence)) parts.Add($"confidence {N(Before.SuggestedConfidence)} → {N(After.SuggestedConfidence)}");
            if (QuotesAdded.Count > 0) parts.Add($"new quotes {string.Join(", ", QuotesAdded)}");
            if (QuotesRemoved.Count > 0) parts.Add($"quotes dropped {string.Join(", ", QuotesRemoved)}");
            return parts.Count == 0 ? "details changed" : string.Join("; ", parts);
        }
    }

    private static IEnumerable<string> Ids(Evidence? e) => e?.Sources.Take(e.Quotes.Count).Select(s => s.ReviewId) ?? []; // the quotes, not every matched review

    private static string? Top(IReadOnlyList<LabelShare> shares) => shares.Count == 0 ? null : shares[0].Label;

    private static string N(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "none";
}
