using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Planner.Backup;
using Planner.Documents;
using Planner.Persistence;
using Planner.Files;

namespace Planner.Cli.Tests.Commands;

public sealed class BackupRestoreCommandTests : IDisposable
{
    private readonly TempFolder work = new();
    private string Source => work.File("source");
    private string Archive => work.File("backup.zip");

    /// <summary>A lived-in data directory: the sample roadmap plus an import (so a saved version), two documents, a
    /// training run with weights, an exported model, keys and a password hash.</summary>
    private async Task SeedSourceAsync()
    {
        Assert.Equal(0, (await CliRun.Of("export", "--format", "json", "--out", work.File("roadmap.json"), "--data-dir", Source)).ExitCode);
        Assert.Equal(0, (await CliRun.Of("import", work.File("roadmap.json"), "--data-dir", Source)).ExitCode);
        await WithLibraryAsync(Source, async library =>
        {
            foreach (var name in new[] { "vision.md", "pricing-notes.md" })
                Assert.True((await library.AddAsync(name, await File.ReadAllBytesAsync(RepositoryRoot.SampleData("docs", name)))).Ok);
        });
        Write("runs/r1/run.json", """{"status":"completed","steps":30}""");
        Write("runs/r1/metrics.jsonl", "{\"step\":1,\"trainLoss\":10.9}\n{\"step\":2,\"trainLoss\":9.8}\n");
        Write("runs/r1/checkpoint/model.safetensors", "weights");
        Write("models/r1.gguf", "GGUF weights");
        Write("keys/key-1.xml", "<key/>");
        Write("admin-password.json", "{}");
        Write("llm-settings.json", "{\"endpoint\": {\"apiKey\": \"sk-secret\"}}");
    }

    private void Write(string relative, string content)
    {
        var file = Path.Combine(Source, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
    }

    private static async Task<T> WithLibraryAsync<T>(string dataDirectory, Func<DocumentLibrary, Task<T>> use)
    {
        var paths = PlannerPaths.Resolve(dataDirectory);
        var factory = PlannerDbContextFactory.ForSqlite(paths.DatabaseFile);
        using var index = new DocumentIndex(Path.Combine(paths.DataDirectory, "index"));
        var result = await use(new DocumentLibrary(factory, index, paths, TimeProvider.System));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return result;
    }

    private static Task<bool> WithLibraryAsync(string dataDirectory, Func<DocumentLibrary, Task> use) =>
        WithLibraryAsync(dataDirectory, async library => { await use(library); return true; });

    private static async Task<string> DocumentsAsync(string dataDirectory) => await WithLibraryAsync(dataDirectory, async library =>
    {
        var listed = (await library.ListAsync()).Select(d => $"{d.Id} {d.FileName} {d.StoredName} {d.Kind} {d.Sha256} {d.Bytes} {d.Chunks} {d.AddedUtc:O} " +
            Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(dataDirectory, "documents", d.StoredName)))));
        var hits = library.Search("pricing tiers for small teams").Select(h => $"{h.Citation.DocumentName} {h.Score}");
        return string.Join("\n", listed.Concat(hits));
    });

    private static async Task<CliRun> Planner(string dataDirectory, params string[] args) => await CliRun.Of([.. args, "--data-dir", dataDirectory, "--no-seed"]);

    [Fact]
    public async Task Backup_then_restore_into_an_empty_directory_gives_back_the_same_workspace()
    {
        await SeedSourceAsync();
        var backup = await Planner(Source, "backup", "--out", Archive);
        Assert.True(backup.ExitCode == 0, backup.Stderr);
        var restored = work.File("restored");
        var restore = await Planner(restored, "restore", Archive);
        Assert.True(restore.ExitCode == 0, restore.Stderr);

        Assert.Equal((await Planner(Source, "export", "--format", "json")).Stdout, (await Planner(restored, "export", "--format", "json")).Stdout);
        var versions = (await Planner(restored, "workspaces")).Stdout;
        Assert.Contains("Before import of roadmap.json", versions);
        Assert.Equal((await Planner(Source, "workspaces")).Stdout, versions);
        var documents = await DocumentsAsync(restored);
        Assert.Contains("pricing-notes.md", documents);
        Assert.Equal(await DocumentsAsync(Source), documents);
        foreach (var file in new[] { "runs/r1/run.json", "runs/r1/metrics.jsonl" })
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Source, file)), await File.ReadAllBytesAsync(Path.Combine(restored, file)));
        // Weights, keys and the password hash stay behind; nothing but the restored folder appears beside it.
        foreach (var absent in new[] { "runs/r1/checkpoint", "models", "keys", "admin-password.json", "llm-settings.json" })
            Assert.False(Path.Exists(Path.Combine(restored, absent)), absent);
        Assert.Equal(["backup.zip", "restored", "roadmap.json", "source"], Directory.EnumerateFileSystemEntries(work.Path).Select(Path.GetFileName).Order());

        using var zip = ZipFile.OpenRead(Archive);
        var manifest = JsonSerializer.Deserialize<BackupManifest>(zip.GetEntry("manifest.json")!.Open(), BackupManifest.JsonOptions)!;
        Assert.Equal("planner-backup/1", manifest.Format);
        Assert.Equal(["documents", "planner.db", "runs"], manifest.Files.Select(f => f.Path.Split('/')[0]).Distinct().Order());
    }

    [Fact]
    public async Task Model_weights_travel_only_when_asked()
    {
        await SeedSourceAsync();
        Assert.Equal(0, (await Planner(Source, "backup", "--out", Archive, "--include-models")).ExitCode);
        var restored = work.File("restored");
        Assert.Equal(0, (await Planner(restored, "restore", Archive)).ExitCode);
        Assert.Equal("weights", await File.ReadAllTextAsync(Path.Combine(restored, "runs/r1/checkpoint/model.safetensors")));
        Assert.Equal("GGUF weights", await File.ReadAllTextAsync(Path.Combine(restored, "models/r1.gguf")));
    }

    [Fact]
    public async Task A_backup_while_the_web_app_holds_its_instance_lock_succeeds_and_leaves_the_lock_and_the_hub_token_out()
    {
        await SeedSourceAsync();
        Write("hub-token", "protected-token");
        // Held as the running web app holds it: exclusively, for as long as it runs.
        using (new FileStream(Path.Combine(Source, "instance.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var backup = await Planner(Source, "backup", "--out", Archive);
            Assert.True(backup.ExitCode == 0, backup.Stderr);
        }
        using var zip = System.IO.Compression.ZipFile.OpenRead(Archive);
        Assert.DoesNotContain(zip.Entries, e => e.FullName is "instance.lock" or "hub-token");
    }

    [Fact]
    public async Task An_altered_archive_restores_nothing()
    {
        await SeedSourceAsync();
        Assert.Equal(0, (await Planner(Source, "backup", "--out", Archive)).ExitCode);
        using (var zip = ZipFile.Open(Archive, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("runs/r1/run.json")!;
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("runs/r1/run.json").Open());
            writer.Write("""{"status":"completed","steps":31}""");
        }
        var restored = work.File("restored");
        var run = await Planner(restored, "restore", Archive);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("planner: cannot restore backup.zip: runs/r1/run.json does not match the manifest (size or SHA-256 differs): the archive is damaged or was altered; nothing was restored.", run.Stderr.Trim());
        Assert.False(Path.Exists(restored));
        Assert.Equal(["backup.zip", "roadmap.json", "source"], Directory.EnumerateFileSystemEntries(work.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task An_entry_that_climbs_out_of_the_data_directory_is_refused()
    {
        var content = Encoding.UTF8.GetBytes("escaped");
        using (var zip = ZipFile.Open(Archive, ZipArchiveMode.Create))
        {
            using (var stream = zip.CreateEntry("../escaped.txt").Open()) stream.Write(content);
            var manifest = new BackupManifest("planner-backup/1", "test", DateTime.UtcNow, false,
                [new BackupEntry("../escaped.txt", content.Length, Convert.ToHexStringLower(SHA256.HashData(content)))]);
            using var writer = zip.CreateEntry("manifest.json").Open();
            JsonSerializer.Serialize(writer, manifest, BackupManifest.JsonOptions);
        }
        var restored = work.File("data/restored");
        var run = await Planner(restored, "restore", Archive);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("unsafe path '../escaped.txt'", run.Stderr);
        Assert.False(Path.Exists(restored));
        Assert.Empty(Directory.EnumerateFiles(work.Path, "escaped.txt", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_workspace_is_never_overwritten_and_a_non_archive_is_named_as_such()
    {
        await SeedSourceAsync();
        Assert.Equal(0, (await Planner(Source, "backup", "--out", Archive)).ExitCode);
        var before = await Planner(Source, "export", "--format", "json");
        var onto = await Planner(Source, "restore", Archive);
        Assert.Equal(1, onto.ExitCode);
        Assert.Contains("is not empty; restore only into an empty or new data directory", onto.Stderr);
        Assert.Equal(before.Stdout, (await Planner(Source, "export", "--format", "json")).Stdout);

        var notZip = work.Write("not-a-backup.zip", "hello");
        var bad = await Planner(work.File("restored"), "restore", notZip);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("not a Planner backup (not a zip archive)", bad.Stderr);
    }

    /// <summary>Replaces (or adds) an entry of the archive and lists it in the manifest with its true size and hash, as
    /// a forger would: the archive stays internally consistent.</summary>
    private void Forge(string path, byte[] content)
    {
        using var zip = ZipFile.Open(Archive, ZipArchiveMode.Update);
        BackupManifest manifest;
        using (var reader = zip.GetEntry("manifest.json")!.Open()) manifest = JsonSerializer.Deserialize<BackupManifest>(reader, BackupManifest.JsonOptions)!;
        zip.GetEntry(path)?.Delete();
        zip.GetEntry("manifest.json")!.Delete();
        using (var stream = zip.CreateEntry(path).Open()) stream.Write(content);
        var entry = new BackupEntry(path, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)));
        manifest = manifest with { Files = [.. manifest.Files.Where(f => f.Path != path), entry] };
        using var writer = zip.CreateEntry("manifest.json").Open();
        JsonSerializer.Serialize(writer, manifest, BackupManifest.JsonOptions);
    }

    private async Task AssertRestoresNothingAsync(string message)
    {
        var restored = work.File("restored");
        var run = await Planner(restored, "restore", Archive);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"planner: cannot restore backup.zip: {message}", run.Stderr.Trim());
        Assert.False(Path.Exists(restored));
    }

    [Theory]
    [InlineData("keys/key-1.xml")]
    [InlineData("admin-password.json")]
    [InlineData("llm-settings.json")]
    [InlineData("index/segments_1")]
    [InlineData("planner.db-wal")]
    public async Task Keys_passwords_settings_and_live_files_in_an_archive_restore_nothing(string path)
    {
        await SeedSourceAsync();
        Assert.Equal(0, (await Planner(Source, "backup", "--out", Archive)).ExitCode);
        Forge(path, Encoding.UTF8.GetBytes("<planted/>"));
        await AssertRestoresNothingAsync($"the archive holds '{path}', which a backup never contains (keys, password and settings are not restored); nothing was restored.");
    }

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("0123456789abcdef0123456789abcdef.md")] // a generated name, but no such file in the archive
    public async Task A_document_row_that_names_anything_but_a_stored_file_restores_nothing(string storedName)
    {
        await ForgeDatabaseAsync("UPDATE Documents SET StoredName = $name WHERE Id = (SELECT min(Id) FROM Documents);", ("$name", storedName));
        await AssertRestoresNothingAsync($"the database lists a document stored as '{storedName}', which is not a document file of the archive; nothing was restored.");
    }

    /// <summary>Backs up the seeded source, changes one row of the archive's database with <paramref name="sql"/>, and
    /// puts the changed database back into the archive.</summary>
    private async Task ForgeDatabaseAsync(string sql, params (string Name, string Value)[] parameters)
    {
        await SeedSourceAsync();
        Assert.Equal(0, (await Planner(Source, "backup", "--out", Archive)).ExitCode);
        var database = work.File("forged.db");
        using (var zip = ZipFile.OpenRead(Archive)) zip.GetEntry("planner.db")!.ExtractToFile(database);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
            Assert.Equal(1, command.ExecuteNonQuery());
        }
        Forge("planner.db", await File.ReadAllBytesAsync(database));
    }

    [Fact]
    public async Task A_database_forged_to_hold_settings_restores_nothing()
    {
        await ForgeDatabaseAsync("INSERT INTO Settings (Key, Value, Version) VALUES ('llm-settings', '{\"endpoint\":{\"baseUrl\":\"http://attacker.example/v1\"}}', 1);");
        await AssertRestoresNothingAsync("the archive's database holds settings (model settings or the hub token), which a backup never contains; nothing was restored.");
    }

    [Fact]
    public async Task A_run_s_paths_are_re_anchored_to_the_restored_directory_and_a_path_elsewhere_restores_nothing()
    {
        await SeedSourceAsync();
        Write("runs/r1/run.json", """
            {"id":1,"request":{"corpusDirectory":"/old/machine/data/app/documents","files":["/old/machine/data/app/runs/r1/data/a.md"],"baseModel":null},
             "status":"completed","exportedModel":"/old/machine/data/app/models/r1.gguf"}
            """);
        Assert.Equal(0, (await Planner(Source, "backup", "--out", Archive)).ExitCode);
        var restored = work.File("restored");
        var restore = await Planner(restored, "restore", Archive);
        Assert.True(restore.ExitCode == 0, restore.Stderr);
        var state = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(restored, "runs/r1/run.json"))).RootElement;
        Assert.Equal(Path.Combine(restored, "documents"), state.GetProperty("request").GetProperty("corpusDirectory").GetString());
        Assert.Equal(Path.Combine(restored, "runs", "r1", "data", "a.md"), state.GetProperty("request").GetProperty("files")[0].GetString());
        Assert.Equal(Path.Combine(restored, "models", "r1.gguf"), state.GetProperty("exportedModel").GetString());
        Directory.Delete(restored, recursive: true);

        Forge("runs/r1/run.json", Encoding.UTF8.GetBytes("""{"id":1,"request":{"corpusDirectory":"/home/founder/.ssh","files":[]},"status":"queued"}"""));
        await AssertRestoresNothingAsync("runs/r1/run.json points outside a data directory ('/home/founder/.ssh'); nothing was restored.");
    }

    public void Dispose() => work.Dispose();
}
