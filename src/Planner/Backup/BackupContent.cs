namespace Planner.Backup;

/// <summary>Which files of a data directory a backup holds. Everything the founder made — the database, documents,
/// each training run's request, state and metrics, anything added later — except what is rebuilt or must not travel:
/// the search index (rebuilt on restore), data-protection keys, the administrator password hash, the model settings
/// with their API key and the hub token (set again where the backup is restored), SQLite's live files (the database is copied through SQLite's backup API instead),
/// temp files, and — unless asked — model weights (checkpoints inside run folders, exported GGUFs).</summary>
public static class BackupContent
{
    public const string DatabaseEntry = "planner.db";

    /// <summary>What steers the app or unlocks it — the key ring, the password hash, the model settings, the hub token:
    /// never archived, and an archive that holds one restores nothing.</summary>
    public static readonly IReadOnlyList<string> Secrets = ["keys", "admin-password.json", "llm-settings.json", "hub-token"];

    /// <summary>The database table of the installation's settings (the model settings, the hub token): emptied in the
    /// archived copy of the database, as the files earlier versions kept them in were never archived.</summary>
    public const string SettingsTable = "Settings";

    /// <summary>SQLite's side files beside the database (the database itself is archived through the backup API).</summary>
    public static readonly IReadOnlyList<string> DatabaseSideFiles = ["planner.db-wal", "planner.db-shm", "planner.db-journal"];

    /// <summary>The folder of the data directory where backups taken by the app itself are kept (before a workspace is
    /// deleted): never archived again, or each backup would hold every earlier one.</summary>
    public const string KeptBackupsFolder = "backups";

    private static readonly string[] NeverIncluded = ["index", KeptBackupsFolder, DatabaseEntry, Files.PlannerPaths.InstanceLockFileName, .. Secrets, .. DatabaseSideFiles];

    /// <summary>The files to archive, as '/'-separated paths relative to the data directory, in a stable order.</summary>
    public static IReadOnlyList<string> FilesToArchive(string dataDirectory, bool includeModels)
    {
        var root = Path.GetFullPath(dataDirectory);
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(path => Included(path, includeModels))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static bool Included(string path, bool includeModels)
    {
        var parts = path.Split('/');
        if (NeverIncluded.Contains(parts[0])) return false;
        if (parts is ["runs", _, Files.PlannerPaths.RunLeaseFileName]) return false;
        if (parts[^1].StartsWith('.') && parts[^1].EndsWith(".tmp", StringComparison.Ordinal)) return false; // an unfinished atomic write
        if (includeModels) return true;
        if (parts[0] == "models") return false;
        // runs/<id>/<file> is the run's metadata; runs/<id>/<folder>/… are its checkpoints (weights).
        return !(parts[0] == "runs" && parts.Length > 3);
    }

    /// <summary>True for a plain relative path that stays inside the folder it is extracted to.</summary>
    public static bool IsSafeRelativePath(string path) =>
        path.Length is > 0 and < 1024
        && !path.Contains('\\') && !path.Contains(':') && !path.Contains('\0')
        && !path.StartsWith('/')
        && path.Split('/').All(part => part.Length > 0 && part != "." && part != "..");
}
