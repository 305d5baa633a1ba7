using Planner.Interchange;
using Planner.Persistence;

namespace Planner.Tests.Persistence;

public class RoadmapVersionRestoreTests
{
    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Restoring_a_version_brings_its_initiatives_back_and_keeps_todays_roadmap_as_a_version_first(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var sample = (await db.NewStore().LoadAsync())!;
        var saved = await db.NewVersions().SaveVersionAsync(sample.Name, "Board plan");
        var edit = sample.FindInitiative("i5")!;
        edit.Title = "Bank feeds, reconciled";
        Assert.True((await db.NewInitiatives().UpdateInitiativeAsync(sample.Name, edit)).Ok);
        Assert.True((await db.NewInitiatives().DeleteInitiativeAsync(sample.Name, "i36", sample.FindInitiative("i36")!.Version)).Ok);
        var today = (await db.NewStore().LoadAsync(sample.Name))!;

        var (plan, outcome) = await db.NewVersions().RestoreAsync(sample.Name, saved.Id, RoadmapStore.Fingerprint(today));

        Assert.True(plan.Ok);
        Assert.Empty(plan.Dropped);
        Assert.True(outcome!.Ok);
        Assert.Equal("Before restoring version 'Board plan'", outcome.KeptVersion);
        var restored = (await db.NewStore().LoadAsync(sample.Name))!;
        Assert.Equal(RoadmapJson.Serialize(Samples.Sample()), RoadmapJson.Serialize(restored));
        var kept = (await db.NewVersions().VersionsAsync(sample.Name))[0];
        Assert.Equal(outcome.KeptVersion, kept.Name);
        var keptRoadmap = (await db.NewVersions().ReadAsync(sample.Name, kept.Id))!.Value.Roadmap!;
        Assert.Equal("Bank feeds, reconciled", keptRoadmap.FindInitiative("i5")!.Title);
        Assert.Null(keptRoadmap.FindInitiative("i36"));
    }

    [Fact]
    public async Task Restoring_a_version_made_with_a_team_that_no_longer_exists_drops_that_demand_and_says_so()
    {
        await using var db = await TempDatabase.CreateAsync();
        var store = db.NewStore();
        var sample = (await store.LoadAsync())!;
        var saved = await db.NewVersions().SaveVersionAsync(sample.Name, "With mobile");
        var withoutMobile = sample.Clone();
        withoutMobile.Teams.RemoveAll(t => t.Key == "mob");
        foreach (var item in withoutMobile.Initiatives) item.Demand.RemoveAll(d => d.TeamKey == "mob");
        Assert.True((await store.ReplaceRoadmapAsync(withoutMobile, "the mobile team left")).Ok);

        var plan = await db.NewVersions().PlanRestoreAsync(sample.Name, saved.Id);

        Assert.True(plan.Ok, string.Join("; ", plan.Problems));
        Assert.Equal(4, plan.Dropped.Count); // i11, i23, i24 and i32 asked for mobile people
        Assert.Contains("i32 'Offline mode for the staff mobile app': 2 people of team 'mob', which no longer exists.", plan.Dropped);
        Assert.Null(plan.Roadmap!.FindTeam("mob"));
        Assert.Empty(plan.Roadmap.FindInitiative("i32")!.Demand);
        Assert.Null((await store.LoadAsync(sample.Name))!.FindTeam("mob")); // planning writes nothing
    }

    [Fact]
    public async Task A_version_whose_initiative_cannot_stand_without_a_deleted_team_is_refused_and_nothing_changes()
    {
        await using var db = await TempDatabase.CreateAsync(seedSample: false);
        var store = db.NewStore();
        var small = Samples.Small();
        small.FindInitiative("i2")!.DurationWeeks = null;
        small.FindInitiative("i2")!.EffortPersonWeeks = 4; // its duration comes from the frontend people
        await store.ReplaceRoadmapAsync(small, "the first import");
        var saved = await db.NewVersions().SaveVersionAsync(small.Name, "With frontend");
        var backendOnly = Samples.Small();
        backendOnly.Teams.RemoveAll(t => t.Key == "fe");
        backendOnly.Initiatives = [Samples.Item("i1", 3, ("be", 2))];
        await store.ReplaceRoadmapAsync(backendOnly, "the frontend team left");
        var before = RoadmapStore.Fingerprint((await store.LoadAsync(small.Name))!);

        var (plan, outcome) = await db.NewVersions().RestoreAsync(small.Name, saved.Id, before);

        Assert.False(plan.Ok);
        Assert.Null(outcome);
        Assert.Contains(plan.Problems, p => p is { Item: "i2", Field: "effortPersonWeeks" });
        Assert.Contains("i2 'Initiative i2': 1 people of team 'fe', which no longer exists.", plan.Dropped);
        Assert.Equal(before, RoadmapStore.Fingerprint((await store.LoadAsync(small.Name))!));
    }

    [Fact]
    public async Task A_restore_chosen_on_a_roadmap_that_changed_since_is_refused()
    {
        await using var db = await TempDatabase.CreateAsync();
        var sample = (await db.NewStore().LoadAsync())!;
        var saved = await db.NewVersions().SaveVersionAsync(sample.Name, "Board plan");
        var looked = RoadmapStore.Fingerprint(sample);
        var edit = sample.FindInitiative("i5")!;
        edit.Title = "Edited in another tab";
        Assert.True((await db.NewInitiatives().UpdateInitiativeAsync(sample.Name, edit)).Ok);

        var (_, outcome) = await db.NewVersions().RestoreAsync(sample.Name, saved.Id, looked);

        Assert.False(outcome!.Ok);
        Assert.Equal("Edited in another tab", (await db.NewStore().LoadAsync(sample.Name))!.FindInitiative("i5")!.Title);
    }

    [Fact]
    public async Task A_version_of_another_workspace_or_one_that_does_not_exist_is_refused()
    {
        await using var db = await TempDatabase.CreateAsync();
        var sample = (await db.NewStore().LoadAsync())!;
        var other = Samples.Small();
        await db.NewStore().ReplaceRoadmapAsync(other, "the first import");
        var othersVersion = await db.NewVersions().SaveVersionAsync(other.Name, "Acme's");

        var plan = await db.NewVersions().PlanRestoreAsync(sample.Name, othersVersion.Id);

        Assert.False(plan.Ok);
        Assert.Equal($"The version no longer exists in '{sample.Name}'.", Assert.Single(plan.Problems).Message);
    }
}
