using System.IO.Compression;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Planner.Documents;
using Planner.Persistence;
using Planner.Files;

namespace Planner.Backup;

/// <summary>Restores a backup archive into an empty data directory, all or nothing: every entry must be listed in the
/// manifest under a safe relative path with the size and SHA-256 it declares, and the database must pass SQLite's
/// integrity check, and what it holds must be data only (<see cref="RestoredContent"/>) — all verified in a staging
/// folder beside the target before it becomes the data directory. The
/// search index is rebuilt from the restored documents. A directory that already holds anything is refused: a
/// restore never overwrites a workspace.</summary>
public static class WorkspaceRestore
{
    public static async Task<RestoreOutcome> RestoreAsync(string archivePath, string dataDirectory, CancellationToken ct = default)
    {
        var target = Path.GetFullPath(dataDirectory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            return Refused($"{target} is not empty; restore only into an empty or new data directory (nothing was changed).");
        if (!File.Exists(archivePath)) return Refused($"{archivePath}: no such file.");

        var staging = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.restore-{Guid.NewGuid():N}");
        try
        {
            var (manifest, error) = await ExtractVerifiedAsync(archivePath, staging, ct);
            if (error is not null) return Refused(error);
            if (IntegrityProblem(Path.Combine(staging, BackupContent.DatabaseEntry)) is { } problem)
                return Refused($"the database in the archive is damaged ({problem}); nothing was restored.");
            if ((RestoredContent.DocumentProblem(staging) ?? RestoredContent.ReanchorRuns(staging, target)) is { } refused)
                return Refused(refused);
            await RebuildSearchIndexAsync(staging, ct);
            if (Directory.Exists(target)) Directory.Delete(target);
            Directory.Move(staging, target);
            return new RestoreOutcome(manifest, null);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static RestoreOutcome Refused(string error) => new(null, error);

    private static async Task<(BackupManifest? Manifest, string? Error)> ExtractVerifiedAsync(string archivePath, string staging, CancellationToken ct)
    {
        ZipArchive zip;
        try { zip = await ZipArchive.CreateAsync(File.OpenRead(archivePath), ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, ct); }
        catch (InvalidDataException) { return (null, "the file is not a Planner backup (not a zip archive); nothing was restored."); }
        await using (zip)
        {
            var manifest = await ReadManifestAsync(zip, ct);
            if (manifest is null) return (null, $"the archive has no readable {BackupManifest.EntryName} of format {BackupManifest.CurrentFormat}; nothing was restored.");
            var files = zip.Entries.Where(e => e.FullName != BackupManifest.EntryName && !e.FullName.EndsWith('/')).ToList();
            if (files.Select(e => e.FullName).Concat(manifest.Files.Select(f => f.Path)).FirstOrDefault(n => !BackupContent.IsSafeRelativePath(n)) is { } unsafePath)
                return (null, $"the archive contains an unsafe path '{unsafePath}' (outside the data directory); nothing was restored.");
            if (files.Select(e => RestoredContent.EntryProblem(e.FullName)).FirstOrDefault(p => p is not null) is { } refusedEntry)
                return (null, refusedEntry);
            var declared = manifest.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
            if (declared.Count != manifest.Files.Count || files.Count != declared.Count || files.Any(e => !declared.ContainsKey(e.FullName)))
                return (null, "the archive's entries do not match its manifest; nothing was restored.");
            if (!declared.ContainsKey(BackupContent.DatabaseEntry))
                return (null, $"the archive holds no {BackupContent.DatabaseEntry}; nothing was restored.");

            foreach (var entry in files)
            {
                var expected = declared[entry.FullName];
                var file = Path.Combine(staging, entry.FullName);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                (long Bytes, string Sha256) actual;
                try
                {
                    await using var input = await entry.OpenAsync(ct);
                    await using var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
                    actual = await HashingCopy.CopyAsync(input, output, expected.Bytes, ct);
                }
                catch (InvalidDataException e) { return (null, $"{entry.FullName} cannot be read from the archive ({e.Message}); nothing was restored."); }
                if (actual.Bytes != expected.Bytes || actual.Sha256 != expected.Sha256)
                    return (null, $"{entry.FullName} does not match the manifest (size or SHA-256 differs): the archive is damaged or was altered; nothing was restored.");
            }
            return (manifest, null);
        }
    }

    private static async Task<BackupManifest?> ReadManifestAsync(ZipArchive zip, CancellationToken ct)
    {
        if (zip.GetEntry(BackupManifest.EntryName) is not { Length: < 64 * 1024 * 1024 } entry) return null;
        try
        {
            await using var stream = await entry.OpenAsync(ct);
            var manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(stream, BackupManifest.JsonOptions, ct);
            return manifest is { Format: BackupManifest.CurrentFormat, Files: not null } ? manifest : null;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException) { return null; }
    }

    /// <summary>SQLite's own verdict on the file, or null when it is "ok".</summary>
    private static string? IntegrityProblem(string database)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check;";
            var result = command.ExecuteScalar() as string;
            return result == "ok" ? null : result;
        }
        catch (SqliteException e) { return e.Message; }
    }

    /// <summary>The index is not archived (it is derived, and written by the live app); rebuilt from the documents.</summary>
    private static async Task RebuildSearchIndexAsync(string dataDirectory, CancellationToken ct)
    {
        var paths = PlannerPaths.Resolve(dataDirectory);
        var factory = PlannerDbContextFactory.ForSqlite(paths.DatabaseFile);
        await new PlannerDatabase(factory, new RoadmapStore(factory, TimeProvider.System)).InitializeAsync(seedSample: false, ct);
        using var index = new DocumentIndex(Path.Combine(paths.DataDirectory, "index"));
        await new DocumentLibrary(factory, index, paths, TimeProvider.System).ReindexAsync(ct);
    }
}
