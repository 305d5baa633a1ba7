using Planner.Roadmaps;

namespace Planner.Insights;

/// <summary>The whole loop: classify every review, match reviews to initiatives, build evidence, and say what changed
/// against the evidence the roadmap holds. Evidence from another source (e.g. typed in from sales calls) is kept.</summary>
public static class ReviewEvidence
{
    public static async Task<EvidenceRun> ComputeAsync(IReviewClassifier classifier, Workspace workspace, IReadOnlyList<Review> reviews,
        EvidenceSettings? settings = null, CancellationToken ct = default)
    {
        var verdicts = await classifier.ClassifyAsync([.. reviews.Select(r => r.Text)], ct);
        var matches = ReviewMatcher.Match(workspace.Initiatives, reviews, settings);
        var built = EvidenceBuilder.Build(workspace, reviews, verdicts, matches, settings);
        var kept = workspace.Initiatives
            .Where(i => i.Evidence is { } e && e.Source != EvidenceBuilder.Source)
            .Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
        var evidence = built.Where(p => !kept.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return new EvidenceRun(reviews.Count, matches.Select(m => m.ReviewIndex).Distinct().Count(), classifier.Description,
            evidence, [.. workspace.Initiatives.Where(i => kept.Contains(i.Key)).Select(i => i.Key)], EvidenceDiff.Compare(workspace, evidence));
    }
}
