using System.Text;
using Microsoft.EntityFrameworkCore;
using Planner.Files;
using Planner.Interchange;
using Planner.Persistence;

namespace Planner.Backup;

/// <summary>Deletes a workspace the way the web app offers it: a backup is kept first in <see cref="Folder"/> — the
/// workspace's roadmap as a JSON file (import it to bring the workspace back) and, with SQLite, the whole data
/// directory as a <c>planner backup</c> archive (for <c>planner restore</c>) — then <see cref="WorkspaceCatalog"/>
/// deletes it.</summary>
public sealed class WorkspaceRemoval(IDbContextFactory<PlannerDbContext> factory, RoadmapStore store, WorkspaceCatalog catalog, PlannerPaths paths, TimeProvider clock)
{
    /// <summary>Where the backups are kept, under the data directory (never inside later backups).</summary>
    public string Folder => Path.Combine(paths.DataDirectory, BackupContent.KeptBackupsFolder);

    public async Task<WorkspaceDeletion> DeleteAsync(string name, string appVersion, CancellationToken ct = default)
    {
        var workspace = await store.LoadAsync(name, ct);
        if (workspace is null || workspace.Name != name) return new WorkspaceDeletion(false, WorkspaceCatalog.Gone(name).Message, []);

        var stamp = clock.GetUtcNow().UtcDateTime;
        Directory.CreateDirectory(Folder);
        var baseName = Path.Combine(Folder, $"{stamp:yyyyMMdd-HHmmss}-{FileSafe(name)}");
        var kept = new List<string> { baseName + ".json" };
        await WriteAtomicallyAsync(kept[0], RoadmapJson.Serialize(workspace), ct);
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            if (db.Database.IsSqlite())
            {
                kept.Add(baseName + ".zip");
                await WorkspaceBackup.CreateAsync(paths.DataDirectory, kept[1], includeModels: false, appVersion, stamp, ct);
            }
        }

        var deleted = await catalog.DeleteAsync(name, ct);
        if (!deleted.Ok) return new WorkspaceDeletion(false, deleted.Message, kept);
        var files = string.Join(" and ", kept.Select(f => $"{BackupContent.KeptBackupsFolder}/{Path.GetFileName(f)}"));
        return new WorkspaceDeletion(true, $"'{name}' was deleted; its backup is kept in the data directory: {files}.", kept);
    }

    /// <summary>The name as a file name: letters, digits, '-' and '_' kept, anything else '_' (at most 60 characters).</summary>
    private static string FileSafe(string name)
    {
        var safe = new string([.. name.Take(60).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        return safe.Length == 0 ? "workspace" : safe;
    }

    private static async Task WriteAtomicallyAsync(string path, string text, CancellationToken ct)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(temp, text, new UTF8Encoding(false), ct);
        File.Move(temp, path, overwrite: true);
    }
}
