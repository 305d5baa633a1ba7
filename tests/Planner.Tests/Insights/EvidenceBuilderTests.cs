using Planner.Insights;
using Planner.Prioritization;
using Planner.Roadmaps;

namespace Planner.Tests.Insights;

/// <summary>Evidence maths on a hand-made case: 20 reviews; i1 matched by 10, i2 by 5, i3 by 1.</summary>
public class EvidenceBuilderTests
{
    internal static Workspace Roadmap()
    {
        var workspace = Samples.Small();
        workspace.Initiatives[0].Reach = 500;
        workspace.Initiatives[1].Reach = 2000; // the widest reach typed in: the scale for suggestions
        foreach (var i in workspace.Initiatives) (i.Impact, i.Confidence, i.Effort) = (1, 0.5, 10);
        return workspace;
    }

    internal static IReadOnlyList<Review> Reviews() => [.. Enumerable.Range(0, 20).Select(n => new Review($"r{n}", $"review {n}", "g2"))];

    /// <summary>Reviews 0–9 match i1 (score n + 1, so 9, 8, 7 are the strongest), 10–14 match i2, 15 matches i3.</summary>
    internal static IReadOnlyList<ReviewMatch> Matches() =>
    [
        .. Enumerable.Range(0, 10).Select(n => new ReviewMatch("i1", n, n + 1, ["term"])),
        .. Enumerable.Range(10, 5).Select(n => new ReviewMatch("i2", n, 5, ["term"])),
        new ReviewMatch("i3", 15, 7, ["term"]),
    ];

    /// <summary>i1: reviews 0–7 bug (0.9), 8–9 praise (0.7; bug 0.2); negative 0–5, positive 6–9.
    /// i2: feature request (0.6; bug 0.4), neutral.</summary>
    internal static IReadOnlyList<ReviewVerdict> Verdicts() => [.. Enumerable.Range(0, 20).Select(n => new ReviewVerdict(
        n < 6 ? SampleReviews.Verdict("negative", 0.8) : n < 10 ? SampleReviews.Verdict("positive", 0.8) : SampleReviews.Verdict("neutral", 0.5),
        n < 8 ? SampleReviews.Verdict("bug", 0.9, ("praise", 0.1))
        : n < 10 ? SampleReviews.Verdict("praise", 0.7, ("bug", 0.2))
        : SampleReviews.Verdict("feature request", 0.6, ("bug", 0.4))))];

    private static readonly IReadOnlyDictionary<string, Evidence?> Built = EvidenceBuilder.Build(Roadmap(), Reviews(), Verdicts(), Matches());

    [Fact]
    public void Counts_shares_and_label_shares_are_over_the_matched_reviews()
    {
        var e = Built["i1"]!;
        Assert.Equal(("reviews", 10, 0.5), (e.Source, e.Matched, e.Share));
        Assert.Equal([new LabelShare("negative", 0.6), new LabelShare("positive", 0.4)], e.Sentiment);
        Assert.Equal([new LabelShare("bug", 0.8), new LabelShare("praise", 0.2)], e.Categories);
    }

    [Fact]
    public void The_strongest_quotes_come_first_with_their_review_id_source_verdicts_and_terms()
    {
        var e = Built["i1"]!;
        Assert.Equal(["r9", "r8", "r7"], e.Sources.Take(3).Select(q => q.ReviewId));
        Assert.Equal(10, e.Sources.Count); // every matched review is kept, for the founder to confirm or reject
        Assert.Equal(["review 9", "review 8", "review 7"], e.Quotes);
        var top = e.Sources[0];
        Assert.Equal(("g2", "positive", "praise", 0.7, 10.0), (top.Source, top.Sentiment, top.Category, top.CategoryProbability!.Value, top.Score));
        Assert.Equal(["term"], top.MatchedTerms);
    }

    [Fact]
    public void Reach_scales_the_widest_typed_reach_by_mentions_and_confidence_follows_agreement_and_volume()
    {
        var i1 = Built["i1"]!;
        Assert.Equal(2000, i1.SuggestedReach);        // the most-mentioned initiative: 2000 × 10 ÷ 10
        Assert.Equal(0.9, i1.SuggestedConfidence);    // 0.5 + 0.5 × mean P(bug) (8 × 0.9 + 2 × 0.2) ÷ 10 = 0.76 × volume 1 = 0.88 -> 0.9
        Assert.Contains("agreement 0.76 on 'bug'", i1.Basis);

        var i2 = Built["i2"]!;
        Assert.Equal(1000, i2.SuggestedReach);        // 2000 × 5 ÷ 10
        Assert.Equal(0.65, i2.SuggestedConfidence);   // 0.5 + 0.5 × 0.6 × volume 5/10
    }

    [Fact]
    public void Too_few_matches_suggest_nothing_and_unmatched_initiatives_get_no_evidence()
    {
        var i3 = Built["i3"]!;
        Assert.Equal(1, i3.Matched);
        Assert.Null(i3.SuggestedReach);
        Assert.Null(i3.SuggestedConfidence);
        Assert.Null(i3.Basis);

        var none = EvidenceBuilder.Build(Roadmap(), Reviews(), Verdicts(), [.. Matches().Where(m => m.InitiativeKey != "i3")]);
        Assert.Null(none["i3"]);
    }

    [Fact]
    public void The_score_breakdown_names_the_evidence_it_used()
    {
        var workspace = new EvidenceRun(20, 16, "fixed", Built, [], []).ApplyTo(Roadmap());
        var i1 = Prioritizer.Rank(workspace).Single(s => s.Key == "i1");
        Assert.True(i1.UsesEvidence);
        Assert.Equal(2000 * 1 * 0.9 / 10, i1.Value, 6);
        Assert.Contains("reach 2000 (evidence: 10 reviews (50%))", i1.Breakdown);
        Assert.Contains("confidence 0.9 (evidence)", i1.Breakdown);
    }

    [Fact]
    public void Verdicts_must_match_the_reviews_one_to_one() =>
        Assert.Throws<ArgumentException>(() => EvidenceBuilder.Build(Roadmap(), Reviews(), [.. Verdicts().Skip(1)], Matches()));
}
