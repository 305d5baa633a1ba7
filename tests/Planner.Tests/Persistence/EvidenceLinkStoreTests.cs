using Planner.Insights;
using Planner.Persistence;
using Planner.Roadmaps;
using Planner.Tests.Insights;

namespace Planner.Tests.Persistence;

public class EvidenceLinkStoreTests
{
    private static EvidenceLink Decision(string initiative, EvidenceQuote quote, EvidenceDecision decision) =>
        new() { InitiativeKey = initiative, ReviewId = quote.ReviewId, Text = quote.Text, Source = quote.Source, Decision = decision };

    private static async Task<Workspace> WithEvidenceAsync(TempDatabase db)
    {
        var store = db.NewStore();
        var workspace = (await store.LoadAsync())!;
        var classifier = new FixedClassifier(_ => new ReviewVerdict(SampleReviews.Verdict("negative", 0.9), null));
        await store.SetEvidenceAsync(workspace.Name, (await ReviewEvidence.ComputeAsync(classifier, workspace, SampleReviews.Read())).Evidence);
        return (await store.LoadAsync())!;
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Confirmed_rejected_and_linked_reviews_are_kept_applied_to_the_evidence_at_once_and_survive_a_reload(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var workspace = await WithEvidenceAsync(db);
        var evidence = workspace.FindInitiative("i16")!.Evidence!;
        var initiatives = db.NewInitiatives();

        Assert.True((await initiatives.DecideEvidenceAsync(workspace.Name, Decision("i16", evidence.Sources[0], EvidenceDecision.Rejected))).Ok);
        Assert.True((await initiatives.DecideEvidenceAsync(workspace.Name, Decision("i16", evidence.Sources[1], EvidenceDecision.Confirmed))).Ok);
        var link = new EvidenceLink
        {
            InitiativeKey = "i16", ReviewId = "call-notes.md#3", Text = "  Three prospects asked for a client portal.  ", Source = "call-notes.md",
            Decision = EvidenceDecision.Linked, Importance = EvidenceImportance.High,
        };
        Assert.True((await initiatives.DecideEvidenceAsync(workspace.Name, link)).Ok);

        var saved = (await db.NewStore().LoadAsync())!.FindInitiative("i16")!;
        Assert.Equal(workspace.FindInitiative("i16")!.Version + 3, saved.Version);
        Assert.Equal(evidence.Matched - 1 + 1, saved.Evidence!.Matched);
        Assert.Equal((1, 1, 1), (saved.Evidence.Confirmed, saved.Evidence.Linked, saved.Evidence.Rejected));
        Assert.DoesNotContain(saved.Evidence.Sources, q => q.ReviewId == evidence.Sources[0].ReviewId);
        Assert.Equal(("call-notes.md#3", "Three prospects asked for a client portal.", EvidenceImportance.High),
            (saved.Evidence.Sources[0].ReviewId, saved.Evidence.Sources[0].Text, saved.Evidence.Sources[0].Importance));

        var links = await db.NewInitiatives().EvidenceLinksAsync(workspace.Name);
        Assert.Equal([EvidenceDecision.Rejected, EvidenceDecision.Confirmed, EvidenceDecision.Linked], links.Select(l => l.Decision));

        // A new decision on the same review replaces the earlier one.
        Assert.True((await initiatives.DecideEvidenceAsync(workspace.Name, Decision("i16", evidence.Sources[1], EvidenceDecision.Rejected))).Ok);
        links = await db.NewInitiatives().EvidenceLinksAsync(workspace.Name);
        Assert.Equal(3, links.Count);
        Assert.Equal(EvidenceDecision.Rejected, links.Single(l => l.ReviewId == evidence.Sources[1].ReviewId).Decision);
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Linking_to_an_initiative_deleted_meanwhile_or_an_empty_passage_says_so_and_saves_nothing(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var workspace = await WithEvidenceAsync(db);
        var initiatives = db.NewInitiatives();
        var gone = workspace.Initiatives.First(i => workspace.Initiatives.All(o => o.Dependencies.All(d => d.PredecessorKey != i.Key)));
        Assert.True((await initiatives.DeleteInitiativeAsync(workspace.Name, gone.Key, gone.Version)).Ok);

        var deleted = await initiatives.DecideEvidenceAsync(workspace.Name, new EvidenceLink
            { InitiativeKey = gone.Key, ReviewId = "r001", Text = "QBO import broke again", Decision = EvidenceDecision.Linked });
        Assert.False(deleted.Ok);
        Assert.Equal($"The initiative '{gone.Key}' was deleted meanwhile; nothing was saved.", deleted.Problems[0].Message);

        var empty = await initiatives.DecideEvidenceAsync(workspace.Name, new EvidenceLink
            { InitiativeKey = "i16", ReviewId = "r001", Text = "   ", Decision = EvidenceDecision.Linked });
        Assert.False(empty.Ok);
        Assert.Contains("the text is empty", empty.Message);

        var tooLong = await initiatives.DecideEvidenceAsync(workspace.Name, new EvidenceLink
            { InitiativeKey = "i16", ReviewId = "r001", Text = new string('x', EvidenceLink.MaxTextLength + 1), Decision = EvidenceDecision.Linked });
        Assert.False(tooLong.Ok);

        Assert.Empty(await initiatives.EvidenceLinksAsync(workspace.Name));
        Assert.Equal(workspace.FindInitiative("i16")!.Version, (await db.NewStore().LoadAsync())!.FindInitiative("i16")!.Version);
    }
}
