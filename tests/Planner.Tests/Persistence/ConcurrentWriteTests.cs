using Planner.Interchange;
using Planner.Persistence;
using Planner.Roadmaps;

namespace Planner.Tests.Persistence;

/// <summary>Writes that race: each is validated against the roadmap as it is when it is saved, and a change computed
/// on an older copy never overwrites newer edits.</summary>
public sealed class ConcurrentWriteTests
{
    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Two_edits_saved_at_once_cannot_together_make_a_dependency_cycle(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var name = (await db.NewStore().LoadAsync())!.Name;
        foreach (var key in new[] { "x1", "x2" }) Assert.True((await db.NewInitiatives().AddInitiativeAsync(name, Samples.Item(key, 1))).Ok);

        for (var round = 0; round < 12; round++)
        {
            var workspace = (await db.NewStore().LoadAsync(name))!;
            var (x1, x2) = (workspace.FindInitiative("x1")!, workspace.FindInitiative("x2")!);
            x1.Dependencies = [new Dependency("x2")];
            x2.Dependencies = [new Dependency("x1")];
            using var start = new Barrier(2);
            var results = await Task.WhenAll(
                Task.Run(async () => { start.SignalAndWait(); return await db.NewInitiatives().UpdateInitiativeAsync(name, x1); }),
                Task.Run(async () => { start.SignalAndWait(); return await db.NewInitiatives().UpdateInitiativeAsync(name, x2); }));

            // SQLite runs them one after the other: the second sees the first and is refused as a cycle. PostgreSQL runs
            // them side by side and refuses to serialize the second: a conflict (at most one of them is saved).
            if (provider == DatabaseProvider.Sqlite)
            {
                Assert.Single(results, r => r.Ok);
                Assert.Contains("Dependency cycle", results.Single(r => !r.Ok).Message);
            }
            else
            {
                Assert.True(results.Count(r => r.Ok) <= 1);
                Assert.All(results.Where(r => !r.Ok), r => Assert.True(r.Conflict || r.Message.Contains("Dependency cycle", StringComparison.Ordinal), r.Message));
            }
            var saved = (await db.NewStore().LoadAsync(name))!;
            Assert.Empty(RoadmapValidator.Validate(saved));
            // Undo what was saved, for the next round.
            foreach (var undo in new[] { saved.FindInitiative("x1")!, saved.FindInitiative("x2")! }.Where(i => i.Dependencies.Count > 0))
            {
                undo.Dependencies = [];
                Assert.True((await db.NewInitiatives().UpdateInitiativeAsync(name, undo)).Ok);
            }
        }
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task A_roadmap_computed_from_a_stale_copy_is_not_saved_over_newer_edits(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var store = db.NewStore();
        var page = (await store.LoadAsync())!; // the scenario page's copy
        var scenario = page.Clone();
        scenario.FindInitiative("i3")!.DurationWeeks = 7;

        // Another tab saves an edit after the page loaded.
        var edit = (await db.NewStore().LoadAsync(page.Name))!.FindInitiative("i4")!;
        edit.Title = "Edited in another tab";
        Assert.True((await db.NewInitiatives().UpdateInitiativeAsync(page.Name, edit)).Ok);
        var versions = (await db.NewVersions().VersionsAsync(page.Name)).Count;
        var before = RoadmapJson.Serialize((await db.NewStore().LoadAsync(page.Name))!);

        var stale = await store.ReplaceRoadmapAsync(scenario, "scenario: delay i3 2", RoadmapStore.Fingerprint(page));
        Assert.False(stale.Ok);
        Assert.Equal("The roadmap was changed after this was computed from it; nothing was saved. Reload and try again on the current roadmap.", stale.Conflict);
        Assert.Equal(before, RoadmapJson.Serialize((await db.NewStore().LoadAsync(page.Name))!));
        Assert.Equal(versions, (await db.NewVersions().VersionsAsync(page.Name)).Count);

        // On a fresh copy the same change applies, and keeps the edit.
        var fresh = (await store.LoadAsync(page.Name))!;
        var again = fresh.Clone();
        again.FindInitiative("i3")!.DurationWeeks = 7;
        var applied = await store.ReplaceRoadmapAsync(again, "scenario: delay i3 2", RoadmapStore.Fingerprint(fresh));
        Assert.True(applied.Ok, applied.Conflict);
        var saved = (await db.NewStore().LoadAsync(page.Name))!;
        Assert.Equal("Edited in another tab", saved.FindInitiative("i4")!.Title);
        Assert.Equal(7, saved.FindInitiative("i3")!.DurationWeeks);
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Workspace_settings_from_a_stale_page_are_not_saved_over_newer_ones_but_initiative_edits_do_not_block_them(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var page = (await db.NewStore().LoadAsync())!;
        var basedOn = RoadmapStore.CompanyFingerprint(page);

        // An initiative edited meanwhile does not touch the settings: the page may still save them.
        var edit = (await db.NewStore().LoadAsync(page.Name))!.FindInitiative("i4")!;
        edit.Title = "Edited in another tab";
        Assert.True((await db.NewInitiatives().UpdateInitiativeAsync(page.Name, edit)).Ok);
        var mine = page.Clone();
        mine.Vision = "The page's vision";
        var saved = await db.NewStore().UpdateWorkspaceAsync(mine, basedOn);
        Assert.True(saved.Ok, saved.Message);

        // Another tab saves the settings; the page, still holding what it read before, is told and saves nothing.
        var other = (await db.NewStore().LoadAsync(page.Name))!;
        other.Vision = "The other tab's vision";
        Assert.True((await db.NewStore().UpdateWorkspaceAsync(other, RoadmapStore.CompanyFingerprint((await db.NewStore().LoadAsync(page.Name))!))).Ok);
        var stale = page.Clone();
        stale.Vision = "A stale vision";
        var refused = await db.NewStore().UpdateWorkspaceAsync(stale, RoadmapStore.CompanyFingerprint(mine));
        Assert.True(refused.Conflict);
        Assert.Contains("were changed by someone else after you opened them", refused.Message);
        var now = (await db.NewStore().LoadAsync(page.Name))!;
        Assert.Equal("The other tab's vision", now.Vision);
        Assert.Equal("Edited in another tab", now.FindInitiative("i4")!.Title);
    }
}
