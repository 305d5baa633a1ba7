using System.Text;
using Microsoft.EntityFrameworkCore;
using Planner.Backup;
using Planner.Files;
using Planner.Interchange;
using Planner.Roadmaps;

namespace Planner.Persistence;

/// <summary>The workspaces of this database as a founder manages them: create an empty one, rename, and delete — a
/// delete keeps a backup first (see <see cref="DeleteAsync"/>). Bad input (an empty or taken name, a workspace that is
/// gone) is refused with a message and changes nothing.</summary>
public sealed class WorkspaceCatalog(IDbContextFactory<PlannerDbContext> factory, PlannerPaths paths, TimeProvider clock)
{
    /// <summary>Longest workspace name (the column's length).</summary>
    public const int MaxNameLength = 200;

    /// <summary>Where deleted workspaces' backups are kept, under the data directory (never inside later backups).</summary>
    public string BackupFolder => Path.Combine(paths.DataDirectory, BackupContent.KeptBackupsFolder);

    /// <summary>A new workspace with no teams, objectives or initiatives, planning from <paramref name="planningStart"/>.</summary>
    public async Task<SaveResult> CreateAsync(string name, string companyName, DateOnly planningStart, CancellationToken ct = default)
    {
        name = name.Trim();
        if (CheckName(name) is { } bad) return bad;
        var workspace = new Workspace { Name = name, CompanyName = companyName.Trim(), PlanningStart = planningStart };
        if (RoadmapValidator.Validate(workspace) is { Count: > 0 } problems) return SaveResult.Invalid(problems);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
        if (await db.Workspaces.AnyAsync(w => w.Name == name, ct)) return Taken(name);
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return SaveResult.Saved;
    }

    /// <summary>Renames a workspace; access tokens limited to it follow it to the new name.</summary>
    public async Task<SaveResult> RenameAsync(string name, string newName, CancellationToken ct = default)
    {
        newName = newName.Trim();
        if (CheckName(newName) is { } bad) return bad;
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.Name == name, ct);
        if (workspace is null) return Gone(name);
        if (newName == name) return SaveResult.Saved;
        if (await db.Workspaces.AnyAsync(w => w.Name == newName, ct)) return Taken(newName);
        workspace.Name = newName;
        await db.ApiTokens.Where(t => t.Workspace == name).ExecuteUpdateAsync(s => s.SetProperty(t => t.Workspace, newName), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return SaveResult.Saved;
    }

    /// <summary>Deletes a workspace with its roadmap, versions and import mappings. First a backup is kept in
    /// <see cref="BackupFolder"/>: the roadmap as a JSON file (import it to bring the workspace back) and, with SQLite,
    /// the whole data directory as a <c>planner backup</c> archive (<c>planner restore</c>). Access tokens limited to
    /// the workspace are revoked, so a later workspace of the same name does not inherit them.</summary>
    public async Task<WorkspaceDeletion> DeleteAsync(string name, string appVersion, CancellationToken ct = default)
    {
        var stamp = clock.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        var workspace = await RoadmapStore.Query(db).AsNoTracking().FirstOrDefaultAsync(w => w.Name == name, ct);
        if (workspace is null) return new WorkspaceDeletion(false, Gone(name).Message, []);
        RoadmapStore.RestoreOrder(workspace);

        Directory.CreateDirectory(BackupFolder);
        var baseName = Path.Combine(BackupFolder, $"{stamp:yyyyMMdd-HHmmss}-{FileSafe(name)}");
        var kept = new List<string> { baseName + ".json" };
        await WriteAtomicallyAsync(kept[0], RoadmapJson.Serialize(workspace), ct);
        if (db.Database.IsSqlite())
        {
            kept.Add(baseName + ".zip");
            await WorkspaceBackup.CreateAsync(paths.DataDirectory, kept[1], includeModels: false, appVersion, stamp, ct);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var deleted = await db.Workspaces.Where(w => w.Id == workspace.Id).ExecuteDeleteAsync(ct);
        await db.ApiTokens.Where(t => t.Workspace == name && t.RevokedUtc == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedUtc, stamp), ct);
        await tx.CommitAsync(ct);
        if (deleted == 0) return new WorkspaceDeletion(false, Gone(name).Message, kept);
        var files = string.Join(" and ", kept.Select(f => $"{BackupContent.KeptBackupsFolder}/{Path.GetFileName(f)}"));
        return new WorkspaceDeletion(true, $"'{name}' was deleted; its backup is kept in the data directory: {files}.", kept);
    }

    private static SaveResult? CheckName(string name) =>
        name.Length == 0 ? SaveResult.Invalid(null, "name", "The workspace needs a name.")
        : name.Length > MaxNameLength ? SaveResult.Invalid(null, "name", $"A workspace name is at most {MaxNameLength} characters (got {name.Length}).")
        : null;

    private static SaveResult Taken(string name) => SaveResult.Invalid(null, "name", $"Another workspace is already named '{name}'.");

    private static SaveResult Gone(string name) => SaveResult.Invalid(null, null, $"There is no workspace named '{name}'; it may have been deleted meanwhile.");

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
