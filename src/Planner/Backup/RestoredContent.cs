using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Planner.Persistence;
using Planner.Security;

namespace Planner.Backup;

/// <summary>What a restore accepts from an archive, beyond its integrity: data, never anything that steers the app.
/// <list type="bullet">
/// <item>No keys, password hash, model settings, hub token (neither as files nor as rows of the database's settings), search index, SQLite side files or temp files (a backup never holds them).</item>
/// <item>Every document row of the database names a stored file of the archive by a generated name — never a path.</item>
/// <item>Each training run's <c>run.json</c> names its corpus, files and models by paths of the machine it was made on:
/// they must lie in a data directory's documents, runs or models folders, or in the bundled sample folder, and are
/// re-anchored to the data directory restored into (and this installation's sample folder), so a run can neither
/// point outside its data nor at the old machine's folders.</item>
/// </list></summary>
public static partial class RestoredContent
{
    private static readonly string[] RefusedTopLevel = ["index", .. BackupContent.Secrets, .. BackupContent.DatabaseSideFiles];
    private static readonly string[] DataFolders = ["documents", "runs", "models"];

    /// <summary>Why an archive entry may not be restored, or null when it may.</summary>
    public static string? EntryProblem(string path)
    {
        var parts = path.Split('/');
        if (RefusedTopLevel.Contains(parts[0]))
            return $"the archive holds '{path}', which a backup never contains (keys, password and settings are not restored); nothing was restored.";
        if (parts[^1].StartsWith('.') && parts[^1].EndsWith(".tmp", StringComparison.Ordinal))
            return $"the archive holds the unfinished write '{path}'; nothing was restored.";
        return null;
    }

    /// <summary>Settings rows in the database (a backup never holds them), else the first stored name of the database's
    /// documents that is not a generated file name of the restored documents folder; null when there is neither.</summary>
    public static string? DocumentProblem(string stagedDataDirectory)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(stagedDataDirectory, BackupContent.DatabaseEntry), Mode = SqliteOpenMode.ReadOnly, Pooling = false,
        }.ToString());
        connection.Open();
        if (HasTable(connection, BackupContent.SettingsTable))
        {
            using var settings = connection.CreateCommand();
            settings.CommandText = $"SELECT count(*) FROM \"{BackupContent.SettingsTable}\";";
            if ((long)settings.ExecuteScalar()! > 0)
                return "the archive's database holds settings (model settings or the hub token), which a backup never contains; nothing was restored.";
        }
        if (!HasTable(connection, "Documents")) return null;
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT StoredName FROM Documents;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var stored = reader.GetString(0);
            if (!StoredName().IsMatch(stored) || !File.Exists(Path.Combine(stagedDataDirectory, "documents", stored)))
                return $"the database lists a document stored as '{UntrustedText.Shown(stored)}', which is not a document file of the archive; nothing was restored.";
        }
        return null;
    }

    /// <summary>True when the open SQLite database has a table of that name.</summary>
    public static bool HasTable(SqliteConnection connection, string table)
    {
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name;";
        exists.Parameters.AddWithValue("$name", table);
        return (long)exists.ExecuteScalar()! > 0;
    }

    /// <summary>Re-anchors every <c>runs/*/run.json</c> of the staged data directory to <paramref name="dataDirectory"/>;
    /// the problem with the first path that cannot be, or null.</summary>
    public static string? ReanchorRuns(string stagedDataDirectory, string dataDirectory)
    {
        var runs = Path.Combine(stagedDataDirectory, "runs");
        if (!Directory.Exists(runs)) return null;
        foreach (var file in Directory.GetDirectories(runs).Select(d => Path.Combine(d, "run.json")).Where(File.Exists).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(stagedDataDirectory, file).Replace('\\', '/');
            JsonNode? state;
            try { state = JsonNode.Parse(File.ReadAllBytes(file)); }
            catch (JsonException) { return $"{name} is not readable JSON; nothing was restored."; }
            if (state is not JsonObject run) return $"{name} is not a run state; nothing was restored.";
            var request = run["request"] as JsonObject;
            var changed = false;
            var fields = new List<(JsonObject Owner, string Key)> { (run, "exportedModel") };
            if (request is not null) fields.AddRange([(request, "corpusDirectory"), (request, "baseModel")]);
            foreach (var (owner, key) in fields)
            {
                if (owner[key] is not JsonValue value || !value.TryGetValue<string>(out var path) || path.Length == 0) continue;
                if (Reanchored(path, dataDirectory) is not { } moved) return OutsideProblem(name, path);
                owner[key] = moved;
                changed = true;
            }
            if (request?["files"] is JsonArray files)
            {
                for (var i = 0; i < files.Count; i++)
                {
                    if (files[i] is not JsonValue value || !value.TryGetValue<string>(out var path)) return $"{name} lists a file that is not a path; nothing was restored.";
                    if (Reanchored(path, dataDirectory) is not { } moved) return OutsideProblem(name, path);
                    files[i] = moved;
                    changed = true;
                }
            }
            if (changed) File.WriteAllText(file, run.ToJsonString());
        }
        return null;
    }

    private static string OutsideProblem(string file, string path) =>
        $"{file} points outside a data directory ('{UntrustedText.Shown(path)}'); nothing was restored.";

    /// <summary>The path inside <paramref name="dataDirectory"/> (or this installation's sample folder) that a path of
    /// another machine stands for, or null when it is not in a data or sample folder.</summary>
    public static string? Reanchored(string path, string dataDirectory)
    {
        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Any(p => p is "." or ".." || p.Contains('\0') || p.Contains(':'))) return null;
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            var rest = parts[(i + 1)..];
            if (DataFolders.Contains(parts[i]))
                return Path.Combine([dataDirectory, parts[i], .. rest]);
            if (parts[i] == "sample")
                return Path.Combine([Path.GetDirectoryName(PlannerDatabase.SampleRoadmapPath)!, .. rest]);
        }
        return null;
    }

    [GeneratedRegex("^[0-9a-f]{32}(\\.[a-z0-9]{1,16})?$")]
    private static partial Regex StoredName();

}
