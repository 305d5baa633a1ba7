using System.IO.Compression;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Planner.Backup;

/// <summary>Writes a whole workspace (a SQLite data directory) into one zip archive with a manifest. The database is
/// copied with SQLite's online backup API, so the web app may keep running and the copy is one consistent state.
/// The archive appears only when complete (temp file in the target folder, then rename).</summary>
public static class WorkspaceBackup
{
    public static async Task<BackupManifest> CreateAsync(string dataDirectory, string archivePath, bool includeModels, string appVersion, DateTime createdUtc, CancellationToken ct = default)
    {
        var root = Path.GetFullPath(dataDirectory);
        var database = Path.Combine(root, BackupContent.DatabaseEntry);
        if (!File.Exists(database)) throw new FileNotFoundException($"There is no workspace to back up in {root} (no {BackupContent.DatabaseEntry}).", database);

        var target = Path.GetFullPath(archivePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        var snapshot = Path.Combine(Path.GetTempPath(), $"planner-backup-{Guid.NewGuid():N}.db");
        try
        {
            CopyDatabase(database, snapshot);
            var entries = new List<BackupEntry>();
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
                {
                    entries.Add(await AddFileAsync(zip, BackupContent.DatabaseEntry, snapshot, ct));
                    foreach (var path in BackupContent.FilesToArchive(root, includeModels))
                        entries.Add(await AddFileAsync(zip, path, Path.Combine(root, path), ct));
                    var manifest = new BackupManifest(BackupManifest.CurrentFormat, appVersion, createdUtc, includeModels, entries);
                    await using (var writer = await zip.CreateEntry(BackupManifest.EntryName, CompressionLevel.Optimal).OpenAsync(ct))
                        await JsonSerializer.SerializeAsync(writer, manifest, BackupManifest.JsonOptions, ct);
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
            return new BackupManifest(BackupManifest.CurrentFormat, appVersion, createdUtc, includeModels, entries);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
            if (File.Exists(snapshot)) File.Delete(snapshot);
        }
    }

    /// <summary>SQLite's online backup: a consistent copy even while another process writes (WAL included), without the
    /// installation's settings (model settings, hub token: see <see cref="BackupContent.Secrets"/>).</summary>
    private static void CopyDatabase(string database, string snapshot)
    {
        using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        using var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = snapshot, Pooling = false }.ToString());
        source.Open();
        destination.Open();
        source.BackupDatabase(destination);
        if (!RestoredContent.HasTable(destination, BackupContent.SettingsTable)) return;
        using var settings = destination.CreateCommand();
        // secure_delete overwrites the freed pages: not even the encrypted secrets stay in the file.
        settings.CommandText = $"PRAGMA secure_delete = ON; DELETE FROM \"{BackupContent.SettingsTable}\";";
        settings.ExecuteNonQuery();
    }

    private static async Task<BackupEntry> AddFileAsync(ZipArchive zip, string path, string file, CancellationToken ct)
    {
        await using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        await using var output = await zip.CreateEntry(path, CompressionLevel.Optimal).OpenAsync(ct);
        var (bytes, sha256) = await HashingCopy.CopyAsync(input, output, long.MaxValue, ct);
        return new BackupEntry(path, bytes, sha256);
    }
}
