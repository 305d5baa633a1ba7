using Planner.Interchange;
using Planner.Persistence;

namespace Planner.Tests.Persistence;

/// <summary>What a tracker import stores: the initiatives' source and the workspace's default estimate, and saved mappings.</summary>
public class TrackerImportStoreTests
{
    private static byte[] Export(string name) => File.ReadAllBytes(RepositoryRoot.File("tests", "TrackerExports", name));

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task A_tracker_import_is_saved_with_its_source_and_a_re_import_updates_the_same_rows(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var transfer = new RoadmapTransfer(db.NewStore(), new ImportMappingStore(db.Factory(), TimeProvider.System));

        var first = await transfer.ImportAsync("jira.csv", Export("jira.csv"), "Ledgerloom", ImportOptions.Default);
        Assert.True(first.Ok, string.Join("\n", first.Problems));
        var saved = (await db.NewStore().LoadAsync("Ledgerloom"))!;
        Assert.Equal("jira", saved.FindInitiative("LL-101")!.Source);
        Assert.True(saved.FindInitiative("LL-105")!.IsUnestimated);
        Assert.Equal(2, saved.DefaultEstimateWeeks);

        var again = await transfer.ImportAsync("jira.csv", Export("jira.csv"), "Ledgerloom", ImportOptions.Default);
        Assert.Contains("From the Jira export: 0 created, 4 updated.", again.Summary);
        Assert.Equal(saved.Initiatives.Count, (await db.NewStore().LoadAsync("Ledgerloom"))!.Initiatives.Count);
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task A_saved_mapping_is_found_for_its_workspace_and_tracker_and_replaced_when_saved_again(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var mappings = new ImportMappingStore(db.Factory(), TimeProvider.System);

        Assert.Null(await mappings.SaveAsync("Ledgerloom", new ImportMapping { Format = "linear", WeeksPerUnit = 0.5 }));
        Assert.Null(await mappings.SaveAsync("Ledgerloom", new ImportMapping { Format = "linear", WeeksPerUnit = 0.25 }));

        Assert.Equal(0.25, (await mappings.FindAsync("Ledgerloom", TrackerFormat.Linear))!.WeeksPerUnit);
        Assert.Null(await mappings.FindAsync("Ledgerloom", TrackerFormat.Jira));
        Assert.Equal("There is no workspace named 'Nope'.", await mappings.SaveAsync("Nope", new ImportMapping { Format = "jira" }));
        Assert.StartsWith("Unknown format", await mappings.SaveAsync("Ledgerloom", new ImportMapping { Format = "trello" }));
    }
}
