using Planner.Insights;
using Planner.Roadmaps;

namespace Planner.Tests.Insights;

public class EvidenceDecisionTests
{
    private static readonly FixedClassifier Classifier = new(_ => new ReviewVerdict(SampleReviews.Verdict("negative", 0.9), null));

    private static EvidenceLink Decision(string initiative, string review, EvidenceDecision decision, string text = "",
        EvidenceImportance importance = EvidenceImportance.Normal) =>
        new() { InitiativeKey = initiative, ReviewId = review, Text = text.Length > 0 ? text : review, Decision = decision, Importance = importance };

    [Fact]
    public async Task A_rejected_review_stays_out_confirmed_and_linked_ones_count_and_the_breakdown_says_how_many_of_each()
    {
        var workspace = Samples.Sample();
        var reviews = SampleReviews.Read();
        var before = (await ReviewEvidence.ComputeAsync(Classifier, workspace, reviews)).Evidence["i16"]!;
        var (rejected, confirmed) = (before.Sources[0].ReviewId, before.Sources[1].ReviewId);
        var unmatched = reviews.First(r => before.Sources.All(q => q.ReviewId != r.Id)).Id;

        // The count of matches here is about the decisions alone: the rejected review's words keep their weight (their
        // down-weighting has its own test below).
        var after = (await ReviewEvidence.ComputeAsync(Classifier, workspace, reviews, EvidenceSettings.Default with { RejectedTermWeight = 1 }, links:
        [
            Decision("i16", rejected, EvidenceDecision.Rejected),
            Decision("i16", confirmed, EvidenceDecision.Confirmed),
            Decision("i16", unmatched, EvidenceDecision.Linked, importance: EvidenceImportance.High),
            Decision("i16", "Sales call 3#2", EvidenceDecision.Linked, "They would switch to us for a client portal with invoices."),
        ])).Evidence["i16"]!;

        Assert.DoesNotContain(after.Sources, q => q.ReviewId == rejected);
        // one rejected, two linked; no other match is lost
        Assert.True(after.Matched >= before.Matched - 1 + 2, $"{before.Matched} matched before, {after.Matched} after");
        Assert.Equal((1, 2, 1), (after.Confirmed, after.Linked, after.Rejected));
        // the founder's own first: the most important first, then the stronger match
        Assert.Equal([unmatched, confirmed, "Sales call 3#2"], after.Sources.Take(3).Select(q => q.ReviewId));
        Assert.Equal(EvidenceImportance.High, after.Sources[0].Importance);
        Assert.Equal("negative", after.Sources[2].Sentiment); // a linked passage is classified with the reviews
        Assert.Contains("1 confirmed, 2 linked by hand, 1 rejected and left out", after.Describe());
    }

    [Fact]
    public void A_review_rejected_for_one_initiative_is_never_matched_to_it_again_and_without_term_learning_nothing_else_moves()
    {
        var workspace = Samples.Sample();
        var reviews = SampleReviews.Read();
        var pairOnly = EvidenceSettings.Default with { RejectedTermWeight = 1 };
        var matches = ReviewMatcher.Match(workspace.Initiatives, reviews, pairOnly);
        var first = matches[0];
        var reviewId = reviews[first.ReviewIndex].Id;
        var feedback = MatchFeedback.From([Decision(first.InitiativeKey, reviewId, EvidenceDecision.Rejected)]);
        var rerun = ReviewMatcher.Match(workspace.Initiatives, reviews, pairOnly, feedback);
        Assert.DoesNotContain(rerun, m => m.InitiativeKey == first.InitiativeKey && m.ReviewIndex == first.ReviewIndex);
        Assert.Equal(matches.Count(m => m.ReviewIndex != first.ReviewIndex), rerun.Count(m => m.ReviewIndex != first.ReviewIndex));
        Assert.DoesNotContain(ReviewMatcher.Match(workspace.Initiatives, reviews, feedback: feedback),
            m => m.InitiativeKey == first.InitiativeKey && m.ReviewIndex == first.ReviewIndex);   // with the default learning too
    }

    [Fact]
    public void The_words_of_a_rejected_review_weigh_less_for_that_initiative_and_only_for_it()
    {
        var workspace = Samples.Sample();
        var reviews = SampleReviews.Read();
        var plain = ReviewMatcher.Match(workspace.Initiatives, reviews);
        var rejected = plain.GroupBy(m => m.InitiativeKey).First(g => g.Count() >= 3).First();
        var rerun = ReviewMatcher.Match(workspace.Initiatives, reviews,
            feedback: MatchFeedback.From([Decision(rejected.InitiativeKey, reviews[rejected.ReviewIndex].Id, EvidenceDecision.Rejected)]));

        var before = plain.Where(m => m.InitiativeKey == rejected.InitiativeKey && m.ReviewIndex != rejected.ReviewIndex).ToList();
        var after = rerun.Where(m => m.InitiativeKey == rejected.InitiativeKey).ToDictionary(m => m.ReviewIndex, m => m.Score);
        // No other match of that initiative gains; those that share the rejected review's words lose (or drop out).
        Assert.All(before, m => Assert.True(!after.TryGetValue(m.ReviewIndex, out var score) || score <= m.Score + 1e-9, $"review {m.ReviewIndex} does not gain"));
        var sharing = before.Where(m => m.Terms.Intersect(rejected.Terms, StringComparer.OrdinalIgnoreCase).Any()).ToList();
        Assert.NotEmpty(sharing);
        Assert.All(sharing, m => Assert.True(!after.TryGetValue(m.ReviewIndex, out var score) || score < m.Score,
            $"review {m.ReviewIndex} shares words with the rejected one and scores less (or no longer matches)"));
        // Other initiatives' scores do not change (a review can only gain another initiative, once the rejected one is out).
        var otherBefore = plain.Where(m => m.InitiativeKey != rejected.InitiativeKey).ToDictionary(m => (m.InitiativeKey, m.ReviewIndex), m => m.Score);
        Assert.All(rerun.Where(m => m.InitiativeKey != rejected.InitiativeKey && otherBefore.ContainsKey((m.InitiativeKey, m.ReviewIndex))),
            m => Assert.Equal(otherBefore[(m.InitiativeKey, m.ReviewIndex)], m.Score, 9));
    }

    [Fact]
    public void With_the_boost_on_the_vocabulary_of_confirmed_reviews_weighs_more_for_their_initiative()
    {
        var boosted = EvidenceSettings.Default with { ConfirmedTermBoost = 1.5, LearnedTermWeight = 1 };
        var workspace = Samples.Sample();
        var reviews = SampleReviews.Read();
        var initiative = workspace.Initiatives[0];
        var plain = ReviewMatcher.Match(workspace.Initiatives, reviews, boosted).Where(m => m.InitiativeKey == initiative.Key).ToDictionary(m => m.ReviewIndex, m => m.Score);
        Assert.NotEmpty(plain);
        var confirmedText = reviews[plain.Keys.First()].Text;
        var learned = ReviewMatcher.Match(workspace.Initiatives, reviews, boosted,
            MatchFeedback.From([Decision(initiative.Key, reviews[plain.Keys.First()].Id, EvidenceDecision.Confirmed, confirmedText)]))
            .Where(m => m.InitiativeKey == initiative.Key).ToDictionary(m => m.ReviewIndex, m => m.Score);
        Assert.True(learned[plain.Keys.First()] > plain[plain.Keys.First()], "the confirmed review's shared terms weigh more");
        Assert.All(plain.Keys, k => Assert.True(learned.TryGetValue(k, out var score) && score >= plain[k], $"review {k} is still matched, at least as strongly"));
    }
}
