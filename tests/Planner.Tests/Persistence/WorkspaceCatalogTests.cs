using System.IO.Compression;
using Planner.Backup;
using Planner.Interchange;
using Planner.Persistence;

namespace Planner.Tests.Persistence;

public class WorkspaceCatalogTests
{
    private static WorkspaceCatalog Catalog(TempDatabase db) => new(db.Factory(), TimeProvider.System);

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task A_created_workspace_is_empty_and_an_empty_or_taken_name_is_refused(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var catalog = Catalog(db);

        Assert.True((await catalog.CreateAsync("  Second co  ", "Second Co", new DateOnly(2027, 1, 4))).Ok);
        var created = (await db.NewStore().LoadAsync("Second co"))!;
        Assert.Equal("Second Co", created.CompanyName);
        Assert.Empty(created.Initiatives);

        Assert.Equal("Another workspace is already named 'Second co'.", (await catalog.CreateAsync("Second co", "", new DateOnly(2027, 1, 4))).Message);
        Assert.Equal("The workspace needs a name.", (await catalog.CreateAsync("   ", "", new DateOnly(2027, 1, 4))).Message);
        Assert.Equal(2, (await db.NewStore().WorkspaceNamesAsync()).Count);
    }

    [Fact]
    public async Task Renaming_moves_the_workspace_and_the_tokens_limited_to_it_and_a_taken_name_is_refused()
    {
        await using var db = await TempDatabase.CreateAsync();
        var catalog = Catalog(db);
        var tokens = new ApiTokenStore(db.Factory(), TimeProvider.System);
        var token = await tokens.CreateAsync("assistant", "Ledgerloom", null);
        await catalog.CreateAsync("Other", "", new DateOnly(2027, 1, 4));

        Assert.True((await catalog.RenameAsync("Ledgerloom", "Ledgerloom EU")).Ok);
        Assert.False((await catalog.RenameAsync("Ledgerloom EU", "Other")).Ok);
        Assert.False((await catalog.RenameAsync("Gone", "Anything")).Ok);

        Assert.Equal(["Ledgerloom EU", "Other"], await db.NewStore().WorkspaceNamesAsync());
        Assert.Equal(36, (await db.NewStore().LoadAsync("Ledgerloom EU"))!.Initiatives.Count);
        Assert.Equal("Ledgerloom EU", (await tokens.CheckAsync(token.Secret!)).Token!.Workspace);
    }

    [Fact]
    public async Task Deleting_keeps_a_backup_first_then_removes_the_workspace_with_its_versions_and_revokes_its_tokens()
    {
        await using var db = await TempDatabase.CreateAsync();
        var catalog = Catalog(db);
        var sample = (await db.NewStore().LoadAsync())!;
        await db.NewVersions().SaveVersionAsync(sample.Name, "Board plan");
        await catalog.CreateAsync("Other", "", new DateOnly(2027, 1, 4));
        var tokens = new ApiTokenStore(db.Factory(), TimeProvider.System);
        var token = await tokens.CreateAsync("assistant", sample.Name, null);

        var removal = new WorkspaceRemoval(db.Factory(), db.NewStore(), catalog, db.Paths, TimeProvider.System);
        var deletion = await removal.DeleteAsync(sample.Name, "test");

        Assert.True(deletion.Ok, deletion.Message);
        Assert.Equal(["Other"], await db.NewStore().WorkspaceNamesAsync());
        Assert.Empty(await db.NewVersions().VersionsAsync(sample.Name));
        Assert.NotNull((await tokens.CheckAsync(token.Secret!)).Refusal);

        var json = Assert.Single(deletion.KeptFiles, f => f.EndsWith(".json", StringComparison.Ordinal));
        var back = RoadmapJson.Read(await File.ReadAllBytesAsync(json));
        Assert.Equal(RoadmapJson.Serialize(sample), RoadmapJson.Serialize(back.Workspace!));
        var zip = Assert.Single(deletion.KeptFiles, f => f.EndsWith(".zip", StringComparison.Ordinal));
        using (var archive = ZipFile.OpenRead(zip))
        {
            Assert.NotNull(archive.GetEntry(BackupContent.DatabaseEntry));
            Assert.DoesNotContain(archive.Entries, e => e.FullName.StartsWith(BackupContent.KeptBackupsFolder + "/", StringComparison.Ordinal));
        }

        Assert.False((await removal.DeleteAsync(sample.Name, "test")).Ok); // already gone: said, nothing kept twice
        Assert.Equal(2, Directory.GetFiles(removal.Folder).Length);
    }
}
