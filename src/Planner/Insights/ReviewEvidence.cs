using Planner.Roadmaps;

namespace Planner.Insights;

/// <summary>The whole loop: classify every review, match reviews to initiatives, build evidence, and say what changed
/// against the evidence the roadmap holds. Evidence from another source (e.g. typed in from sales calls) is kept.</summary>
public static class ReviewEvidence
{
    /// <param name="links">The founder's decisions: rejected reviews stay out, confirmed ones and those linked by hand
    /// count whatever the matcher scores them (a linked passage that is not in <paramref name="reviews"/> is classified
    /// with them), and their vocabulary weighs more in matching.</param>
    /// <param name="meaning">What texts mean: matches of reviews that share words with an initiative but not its meaning
    /// are dropped (<see cref="ReviewMatcher"/>).</param>
    public static async Task<EvidenceRun> ComputeAsync(IReviewClassifier classifier, Workspace workspace, IReadOnlyList<Review> reviews,
        EvidenceSettings? settings = null, IReadOnlyList<EvidenceLink>? links = null, ITextMeaning? meaning = null, CancellationToken ct = default)
    {
        var decided = (links ?? []).Where(l => workspace.FindInitiative(l.InitiativeKey) is not null).ToList();
        var ids = reviews.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var all = reviews.Concat(decided.Where(l => l.Decision != EvidenceDecision.Rejected && !ids.Contains(l.ReviewId))
            .GroupBy(l => l.ReviewId, StringComparer.Ordinal).Select(g => new Review(g.Key, g.First().Text, g.First().Source))).ToList();
        var verdicts = await classifier.ClassifyAsync([.. all.Select(r => r.Text)], ct);
        var matches = WithDecisions(ReviewMatcher.Match(workspace.Initiatives, reviews, settings, MatchFeedback.From(decided), meaning), all, decided);
        var rejected = decided.Where(l => l.Decision == EvidenceDecision.Rejected).GroupBy(l => l.InitiativeKey).ToDictionary(g => g.Key, g => g.Count());
        var built = EvidenceBuilder.Build(workspace, all, verdicts, matches, settings)
            .ToDictionary(p => p.Key, p => p.Value is { } e && rejected.TryGetValue(p.Key, out var n) ? e with { Rejected = n } : p.Value, StringComparer.Ordinal);
        var kept = workspace.Initiatives
            .Where(i => i.Evidence is { } e && e.Source != EvidenceBuilder.Source)
            .Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
        var evidence = built.Where(p => !kept.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var how = meaning is null ? classifier.Description : $"{classifier.Description}; matches checked by meaning ({meaning.Description})";
        return new EvidenceRun(reviews.Count, matches.Select(m => m.ReviewIndex).Distinct().Count(), how,
            evidence, [.. workspace.Initiatives.Where(i => kept.Contains(i.Key)).Select(i => i.Key)], EvidenceDiff.Compare(workspace, evidence));
    }

    /// <summary>The matcher's matches with the confirmed and linked pairs marked, and added where the matcher missed them.</summary>
    private static List<ReviewMatch> WithDecisions(IReadOnlyList<ReviewMatch> matches, List<Review> all, List<EvidenceLink> decided)
    {
        var index = all.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var kept = decided.Where(l => l.Decision != EvidenceDecision.Rejected)
            .ToDictionary(l => (l.InitiativeKey, Review: index[l.ReviewId]));
        var result = matches.Select(m => kept.Remove((m.InitiativeKey, m.ReviewIndex), out var l) ? m with { Decision = l.Decision, Importance = l.Importance } : m).ToList();
        result.AddRange(kept.Select(p => new ReviewMatch(p.Key.InitiativeKey, p.Key.Review, 0, [], p.Value.Decision, p.Value.Importance)));
        return result;
    }
}
