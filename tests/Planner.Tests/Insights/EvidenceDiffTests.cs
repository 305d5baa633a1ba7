using Planner.Insights;
using Planner.Roadmaps;

namespace Planner.Tests.Insights;

public class EvidenceDiffTests
{
    private static readonly FixedClassifier Classifier = new(_ => new ReviewVerdict(SampleReviews.Verdict("negative", 0.9), null));

    [Fact]
    public async Task Rerunning_on_the_same_reviews_changes_nothing_and_new_reviews_say_what_moved()
    {
        var workspace = Samples.Sample();
        var reviews = SampleReviews.Read();
        var first = (await ReviewEvidence.ComputeAsync(Classifier, workspace, reviews));
        Assert.Contains(first.Changes, c => c.Key == "i31" && c.Summary == "new: 2 reviews (1%)");
        var withEvidence = first.ApplyTo(workspace);

        var again = (await ReviewEvidence.ComputeAsync(Classifier, withEvidence, reviews));
        Assert.Empty(again.Changes);

        Review[] extra = [new("n1", "Dark mode for the app please, my eyes hurt at night", "in-app")];
        var more = (await ReviewEvidence.ComputeAsync(Classifier, withEvidence, [.. reviews, .. extra]));
        var darkMode = Assert.Single(more.Changes, c => c.Key == "i31");
        Assert.StartsWith("2 → 3 reviews", darkMode.Summary);
        Assert.Contains("n1", darkMode.QuotesAdded);
    }

    [Fact]
    public async Task An_initiative_no_review_matches_any_more_is_reported_as_such()
    {
        var workspace = Samples.Sample();
        var reviews = SampleReviews.Read();
        var withEvidence = (await ReviewEvidence.ComputeAsync(Classifier, workspace, reviews)).ApplyTo(workspace);
        var rerun = (await ReviewEvidence.ComputeAsync(Classifier, withEvidence, [.. reviews.Where(r => r.Id is not ("r055" or "r125"))]));
        var darkMode = Assert.Single(rerun.Changes, c => c.Key == "i31");
        Assert.Equal("no longer matched (was 2 reviews (1%))", darkMode.Summary);
        Assert.Null(darkMode.After);
    }

    [Fact]
    public async Task Evidence_from_another_source_is_kept_and_not_reported_as_a_change()
    {
        var workspace = Samples.Sample();
        var typedIn = new Evidence("sales calls", 4, 0.2, ["We would buy it tomorrow."], SuggestedReach: 900);
        workspace.FindInitiative("i31")!.Evidence = typedIn;
        var run = (await ReviewEvidence.ComputeAsync(Classifier, workspace, SampleReviews.Read()));
        Assert.Equal(["i31"], run.KeptFromOtherSources);
        Assert.DoesNotContain(run.Changes, c => c.Key == "i31");
        Assert.Same(typedIn, run.ApplyTo(workspace).FindInitiative("i31")!.Evidence);
    }
}
