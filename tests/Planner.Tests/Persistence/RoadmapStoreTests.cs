using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Planner.Interchange;
using Planner.Persistence;
using Planner.Roadmaps;

namespace Planner.Tests.Persistence;

public class RoadmapStoreTests
{
    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task First_start_seeds_the_sample_and_a_second_start_keeps_what_is_there(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var store = db.NewStore();
        var sample = await store.LoadAsync();
        Assert.NotNull(sample);
        Assert.Equal(RoadmapJson.Serialize(Samples.Sample()), RoadmapJson.Serialize(sample));

        Assert.True((await db.NewInitiatives().DeleteInitiativeAsync(sample.Name, "i36", sample.FindInitiative("i36")!.Version)).Ok);
        await db.NewDatabase().InitializeAsync(seedSample: true);
        Assert.Equal(35, (await db.NewStore().LoadAsync())!.Initiatives.Count);
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Start_up_applies_every_migration_and_the_migrations_match_the_model(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider, seedSample: false);
        await using var ctx = await db.Factory().CreateDbContextAsync();
        Assert.Empty(await ctx.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await ctx.Database.GetAppliedMigrationsAsync());
        // A model change without a migration for this provider would leave its databases behind.
        Assert.False(ctx.Database.HasPendingModelChanges());
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task The_app_runs_on_the_compiled_model_and_it_matches_the_model_the_code_builds(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider, seedSample: false);
        await using var ctx = await db.Factory().CreateDbContextAsync();
        var compiled = ctx.Model;
        Assert.Equal(provider == DatabaseProvider.Sqlite ? "SqlitePlannerDbContextModel" : "PostgresPlannerDbContextModel", compiled.GetType().Name);
        // Made again after a model change with dotnet ef dbcontext optimize (docs/configuration.md, "Database").
        var built = ctx.GetService<Microsoft.EntityFrameworkCore.Metadata.IDesignTimeModel>().Model;
        Assert.Equal(Shape(built), Shape(compiled));
    }

    /// <summary>What a model maps, as lines that two models can be compared by: tables, columns (type, store type,
    /// nullability, converter), keys, indexes and foreign keys.</summary>
    private static List<string> Shape(Microsoft.EntityFrameworkCore.Metadata.IModel model) =>
        [.. model.GetEntityTypes().SelectMany(e => (IEnumerable<string>)[
            $"{e.Name} -> {e.GetTableName()}",
            .. e.GetProperties().Select(p => $"{e.Name}.{p.Name}: {p.ClrType.Name} {p.GetColumnName()} {((Microsoft.EntityFrameworkCore.Storage.RelationalTypeMapping)p.GetTypeMapping()).StoreType} null={p.IsNullable} converter={p.GetValueConverter()?.ProviderClrType.Name}"),
            .. e.GetKeys().Select(k => $"{e.Name} key {string.Join(",", k.Properties.Select(p => p.Name))} primary={k.IsPrimaryKey()}"),
            .. e.GetIndexes().Select(i => $"{e.Name} index {string.Join(",", i.Properties.Select(p => p.Name))} unique={i.IsUnique}"),
            .. e.GetForeignKeys().Select(f => $"{e.Name} fk {string.Join(",", f.Properties.Select(p => p.Name))} -> {f.PrincipalEntityType.Name} {f.DeleteBehavior}"),
        ]).Order(StringComparer.Ordinal)];

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task An_empty_database_stays_empty_when_told_not_to_seed(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider, seedSample: false);
        Assert.Null(await db.NewStore().LoadAsync());
        if (provider == DatabaseProvider.Sqlite) Assert.True(File.Exists(db.Paths.DatabaseFile));
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Added_and_edited_initiatives_survive_reopening_the_file(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var store = db.NewStore();
        var name = (await store.LoadAsync())!.Name;
        var added = Samples.Item("n1", 2, ("be", 1));
        added.Dependencies = [new Dependency("i1", 1)];
        Assert.True((await db.NewInitiatives().AddInitiativeAsync(name, added)).Ok);

        var edit = (await store.LoadAsync(name))!.FindInitiative("i5")!;
        edit.Title = "Bank feeds, reconciled";
        edit.Demand = [new TeamDemand("be", 1)];
        edit.Tags = ["banking", "Q2 launch"];
        Assert.True((await db.NewInitiatives().UpdateInitiativeAsync(name, edit)).Ok);

        var reopened = (await db.NewStore().LoadAsync(name))!;
        Assert.Equal("n1", reopened.Initiatives[^1].Key);
        Assert.Equal(new Dependency("i1", 1), reopened.FindInitiative("n1")!.Dependencies.Single());
        var i5 = reopened.FindInitiative("i5")!;
        Assert.Equal("Bank feeds, reconciled", i5.Title);
        Assert.Equal(new TeamDemand("be", 1), i5.Demand.Single());
        Assert.Equal(["banking", "Q2 launch"], i5.Tags);
        Assert.Equal(2, i5.Version);
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task The_second_of_two_concurrent_edits_is_refused_and_the_first_is_kept(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var tabA = db.NewStore();
        var tabB = db.NewStore();
        var name = (await tabA.LoadAsync())!.Name;
        var copyA = (await tabA.LoadAsync(name))!.FindInitiative("i3")!;
        var copyB = (await tabB.LoadAsync(name))!.FindInitiative("i3")!;

        copyA.Title = "Edited in tab A";
        Assert.True((await db.NewInitiatives().UpdateInitiativeAsync(name, copyA)).Ok);
        copyB.Title = "Edited in tab B";
        var second = await db.NewInitiatives().UpdateInitiativeAsync(name, copyB);

        Assert.False(second.Ok);
        Assert.True(second.Conflict);
        Assert.Contains("changed by someone else", second.Message);
        Assert.Equal("Edited in tab A", (await db.NewStore().LoadAsync(name))!.FindInitiative("i3")!.Title);
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task The_database_refuses_a_stale_version_even_if_the_check_before_it_passed(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var store = db.NewStore();
        var name = (await store.LoadAsync())!.Name;
        await using var ctx = db.Factory().CreateDbContext();
        var row = await ctx.Initiatives.SingleAsync(i => i.Key == "i4");
        // Someone else saves between our read and our write:
        var other = (await store.LoadAsync(name))!.FindInitiative("i4")!;
        other.Title = "Theirs";
        Assert.True((await db.NewInitiatives().UpdateInitiativeAsync(name, other)).Ok);
        row.Title = "Ours";
        row.Version++;
        ctx.Entry(row).Property(i => i.Version).OriginalValue = row.Version - 1;
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => ctx.SaveChangesAsync());
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task An_invalid_edit_changes_nothing(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var store = db.NewStore();
        var before = RoadmapJson.Serialize((await store.LoadAsync())!);
        var name = (await store.LoadAsync())!.Name;
        var edit = (await store.LoadAsync(name))!.FindInitiative("i1")!;
        edit.Title = "Changed";
        edit.Dependencies = [new Dependency("i5")]; // i5 depends on i1: a cycle
        var result = await db.NewInitiatives().UpdateInitiativeAsync(name, edit);
        Assert.False(result.Ok);
        Assert.Contains("Dependency cycle", result.Message);
        var bad = Samples.Item("i2", 1);
        Assert.Contains("already used", (await db.NewInitiatives().AddInitiativeAsync(name, bad)).Message);
        Assert.Equal(before, RoadmapJson.Serialize((await db.NewStore().LoadAsync())!));
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task An_initiative_others_depend_on_cannot_be_deleted(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var store = db.NewStore();
        var w = (await store.LoadAsync())!;
        var result = await db.NewInitiatives().DeleteInitiativeAsync(w.Name, "i1", w.FindInitiative("i1")!.Version);
        Assert.False(result.Ok);
        Assert.Contains("depend on it", result.Message);
        Assert.NotNull((await store.LoadAsync())!.FindInitiative("i1"));
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Replacing_a_roadmap_keeps_the_previous_one_as_a_version(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var store = db.NewStore();
        var original = (await store.LoadAsync())!;
        var replacement = original.Clone();
        replacement.Initiatives.RemoveAll(i => i.Key == "i36");
        replacement.Initiatives[0].Title = "Replaced";

        var outcome = await store.ReplaceRoadmapAsync(replacement, "test");
        Assert.False(outcome.Created);

        var now = (await db.NewStore().LoadAsync(original.Name))!;
        Assert.Equal("Replaced", now.Initiatives[0].Title);
        Assert.Equal(35, now.Initiatives.Count);
        var version = Assert.Single(await db.NewVersions().VersionsAsync(original.Name));
        Assert.Equal("Before test", version.Name);
        Assert.Equal(RoadmapJson.Serialize(original), version.Snapshot);
        // An editor holding the pre-replacement copy gets a conflict, not a silent overwrite.
        var stale = original.FindInitiative("i2")!;
        stale.Title = "stale";
        Assert.True((await db.NewInitiatives().UpdateInitiativeAsync(original.Name, stale)).Conflict);
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Workspace_settings_save_and_a_team_in_use_cannot_be_removed(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var store = db.NewStore();
        var w = (await store.LoadAsync())!;
        var edited = w.Clone();
        edited.CompanyName = "Ledgerloom GmbH";
        edited.Teams.Single(t => t.Key == "mob").CapacityChanges = [new CapacityChange(new DateOnly(2027, 6, 7), 3)];
        edited.Objectives.Add(new Objective { Key = "o4", Title = "Hire well", KeyResults = [new KeyResult("2 senior engineers")] });
        Assert.True((await store.UpdateWorkspaceAsync(edited)).Ok);

        var saved = (await db.NewStore().LoadAsync())!;
        Assert.Equal("Ledgerloom GmbH", saved.CompanyName);
        Assert.Equal(3, saved.FindTeam("mob")!.CapacityOn(new DateOnly(2027, 7, 1)));
        Assert.Equal("o4", saved.Objectives[^1].Key);

        var withoutBackend = saved.Clone();
        withoutBackend.Teams.RemoveAll(t => t.Key == "be");
        var refused = await store.UpdateWorkspaceAsync(withoutBackend);
        Assert.False(refused.Ok);
        Assert.Contains("Unknown team 'be'", refused.Message);
        Assert.NotNull((await store.LoadAsync())!.FindTeam("be"));
    }
}
