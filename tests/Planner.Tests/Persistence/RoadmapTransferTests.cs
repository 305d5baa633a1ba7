using Planner.Interchange;
using Planner.Persistence;

namespace Planner.Tests.Persistence;

public class RoadmapTransferTests
{
    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Json_export_import_export_through_the_database_is_byte_identical(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var transfer = new RoadmapTransfer(db.NewStore());
        var first = (await transfer.ExportAsync(RoadmapFormat.Json))!;
        var outcome = await transfer.ImportAsync("roadmap.json", Samples.Utf8(first));
        Assert.True(outcome.Ok, outcome.Summary);
        Assert.Contains("kept as version", outcome.Summary);
        Assert.Equal(first, await transfer.ExportAsync(RoadmapFormat.Json));
        foreach (var format in new[] { RoadmapFormat.Csv, RoadmapFormat.Markdown })
        {
            var text = (await transfer.ExportAsync(format))!;
            if (format == RoadmapFormat.Csv) Assert.True((await transfer.ImportAsync("x.csv", Samples.Utf8(text))).Ok);
            Assert.Equal(text, await transfer.ExportAsync(format));
        }
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task A_bad_file_imports_nothing(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var transfer = new RoadmapTransfer(db.NewStore());
        var before = await transfer.ExportAsync(RoadmapFormat.Json);
        var bad = before!.Replace("\"durationWeeks\": 6", "\"durationWeeks\": -6");
        var outcome = await transfer.ImportAsync("roadmap.json", Samples.Utf8(bad));
        Assert.False(outcome.Ok);
        Assert.Contains(outcome.Problems, p => p.Message.Contains("cannot be negative"));
        Assert.False((await transfer.ImportAsync("notes.txt", Samples.Utf8("hello"))).Ok);
        Assert.Equal(before, await transfer.ExportAsync(RoadmapFormat.Json));
        Assert.Empty(await db.NewVersions().VersionsAsync("Ledgerloom"));
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task A_roadmap_for_a_new_workspace_creates_it_beside_the_others(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var transfer = new RoadmapTransfer(db.NewStore());
        var json = """{"name": "Side project", "start": "2027-03-01", "teams": [{"id": "me", "name": "Me", "capacity": 1}], "initiatives": [{"id": "a", "title": "MVP", "durationWeeks": 4, "demand": {"me": 1}}]}""";
        var outcome = await transfer.ImportAsync("side.json", Samples.Utf8(json));
        Assert.True(outcome.Ok, outcome.Summary);
        Assert.StartsWith("Created workspace 'Side project'", outcome.Summary);
        Assert.Equal(["Ledgerloom", "Side project"], await db.NewStore().WorkspaceNamesAsync());
    }
}
