using Planner.Insights;
using Planner.Persistence;
using Planner.Tests.Insights;

namespace Planner.Tests.Persistence;

public class EvidenceStoreTests
{
    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Evidence_is_saved_whole_bumps_the_version_of_what_changed_and_survives_a_reload(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var store = db.NewStore();
        var workspace = (await store.LoadAsync())!;
        var before = workspace.FindInitiative("i16")!.Version;
        var classifier = new FixedClassifier(_ => new ReviewVerdict(SampleReviews.Verdict("negative", 0.9), SampleReviews.Verdict("feature request", 0.7)));
        var run = await ReviewEvidence.ComputeAsync(classifier, workspace, SampleReviews.Read());

        var changed = await store.SetEvidenceAsync(workspace.Name, run.Evidence);
        Assert.Equal(run.Evidence.Count(p => p.Value is not null), changed);
        var saved = (await db.NewStore().LoadAsync())!.FindInitiative("i16")!;
        Assert.Equal(before + 1, saved.Version);
        Assert.True(saved.Evidence!.SameAs(run.Evidence["i16"]));
        Assert.Contains(saved.Evidence.Sources, q => q.ReviewId == "r131" && q.MatchedTerms.Contains("invoice") && q.Category == "feature request");

        Assert.Equal(0, await store.SetEvidenceAsync(workspace.Name, run.Evidence)); // same evidence: nothing written
    }
}
