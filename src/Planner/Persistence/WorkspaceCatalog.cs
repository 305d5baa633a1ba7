using Microsoft.EntityFrameworkCore;
using Planner.Roadmaps;

namespace Planner.Persistence;

/// <summary>The workspaces of this database as a founder manages them: create an empty one, rename, and delete. Bad
/// input (an empty or taken name, a workspace that is gone) is refused with a message and changes nothing.</summary>
public sealed class WorkspaceCatalog(IDbContextFactory<PlannerDbContext> factory, TimeProvider clock)
{
    /// <summary>Longest workspace name (the column's length).</summary>
    public const int MaxNameLength = 200;

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

    /// <summary>Deletes a workspace with its roadmap, versions and import mappings, and revokes the access tokens limited
    /// to it, so a later workspace of the same name does not inherit them. The web app keeps a backup first
    /// (WorkspaceRemoval, in Backup).</summary>
    public async Task<SaveResult> DeleteAsync(string name, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var deleted = await db.Workspaces.Where(w => w.Name == name).ExecuteDeleteAsync(ct);
        if (deleted == 0) return Gone(name);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.ApiTokens.Where(t => t.Workspace == name && t.RevokedUtc == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedUtc, now), ct);
        await tx.CommitAsync(ct);
        return SaveResult.Saved;
    }

    private static SaveResult? CheckName(string name) =>
        name.Length == 0 ? SaveResult.Invalid(null, "name", "The workspace needs a name.")
        : name.Length > MaxNameLength ? SaveResult.Invalid(null, "name", $"A workspace name is at most {MaxNameLength} characters (got {name.Length}).")
        : null;

    private static SaveResult Taken(string name) => SaveResult.Invalid(null, "name", $"Another workspace is already named '{name}'.");

    internal static SaveResult Gone(string name) => SaveResult.Invalid(null, null, $"There is no workspace named '{name}'; it may have been deleted meanwhile.");
}
