using Microsoft.EntityFrameworkCore;
using Planner.Interchange;
using Planner.Roadmaps;

namespace Planner.Persistence;

/// <summary>Reads and changes saved workspaces. Every change is validated against the whole roadmap first and
/// written in one transaction; initiative edits use optimistic concurrency so a stale copy never overwrites.</summary>
public sealed class RoadmapStore(IDbContextFactory<PlannerDbContext> factory, TimeProvider clock)
{
    public async Task<IReadOnlyList<string>> WorkspaceNamesAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Workspaces.OrderBy(w => w.Id).Select(w => w.Name).ToListAsync(ct);
    }

    /// <summary>The named workspace, or the first one when <paramref name="name"/> is null; null when there is none.</summary>
    public async Task<Workspace?> LoadAsync(string? name = null, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var workspace = await Query(db).AsNoTracking().FirstOrDefaultAsync(w => name == null || w.Name == name, ct);
        if (workspace is not null) RestoreOrder(workspace);
        return workspace;
    }

    /// <summary>Rows come back in no promised order: restore the order the founder gave them.</summary>
    private static void RestoreOrder(Workspace workspace)
    {
        workspace.Teams.Sort((a, b) => a.Id.CompareTo(b.Id));
        workspace.Objectives.Sort((a, b) => a.Id.CompareTo(b.Id));
        workspace.Initiatives.Sort((a, b) => a.Order != b.Order ? a.Order.CompareTo(b.Order) : a.Id.CompareTo(b.Id));
    }

    private static IQueryable<Workspace> Query(PlannerDbContext db) =>
        db.Workspaces.Include(w => w.Teams).Include(w => w.Objectives).Include(w => w.Initiatives).AsSplitQuery().OrderBy(w => w.Id);

    public async Task<SaveResult> AddInitiativeAsync(string workspaceName, Initiative item, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var workspace = await Query(db).FirstOrDefaultAsync(w => w.Name == workspaceName, ct);
        if (workspace is null) return SaveResult.Invalid(null, null, $"There is no workspace named '{workspaceName}'.");
        if (workspace.FindInitiative(item.Key) is not null)
            return SaveResult.Invalid(item.Key, "id", $"The id '{item.Key}' is already used by '{workspace.FindInitiative(item.Key)!.Title}'.");

        var added = item.Clone();
        added.Id = 0;
        added.WorkspaceId = workspace.Id;
        added.Version = 1;
        added.Order = workspace.Initiatives.Count == 0 ? 0 : workspace.Initiatives.Max(i => i.Order) + 1;
        var candidate = workspace.Clone();
        candidate.Initiatives.Add(added);
        if (RoadmapValidator.Validate(candidate) is { Count: > 0 } problems) return SaveResult.Invalid(problems);

        workspace.Initiatives.Add(added);
        await db.SaveChangesAsync(ct);
        return SaveResult.Saved;
    }

    /// <summary>Saves an edited initiative. <paramref name="edited"/>.Version must be the version the editor started
    /// from; if anyone saved or deleted it since, nothing is written and the result says so.</summary>
    public async Task<SaveResult> UpdateInitiativeAsync(string workspaceName, Initiative edited, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var workspace = await Query(db).FirstOrDefaultAsync(w => w.Name == workspaceName, ct);
        if (workspace is null) return SaveResult.Invalid(null, null, $"There is no workspace named '{workspaceName}'.");
        var target = workspace.FindInitiative(edited.Key);
        if (target is null)
            return SaveResult.Conflicted(edited.Key, $"'{edited.Title}' was deleted by someone else; your changes were not saved.");
        if (target.Version != edited.Version)
            return SaveResult.Conflicted(edited.Key, StaleMessage(target));

        var candidate = workspace.Clone();
        candidate.FindInitiative(edited.Key)!.CopyEditableFrom(edited);
        if (RoadmapValidator.Validate(candidate) is { Count: > 0 } problems) return SaveResult.Invalid(problems);

        target.CopyEditableFrom(edited);
        target.Version = edited.Version + 1;
        db.Entry(target).Property(i => i.Version).OriginalValue = edited.Version;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return SaveResult.Conflicted(edited.Key, StaleMessage(target));
        }
        edited.Version = target.Version;
        return SaveResult.Saved;
    }

    private static string StaleMessage(Initiative current) =>
        $"'{current.Title}' was changed by someone else after you opened it; your changes were not saved. Reload to see the latest version.";

    public async Task<SaveResult> DeleteInitiativeAsync(string workspaceName, string key, int version, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var workspace = await Query(db).FirstOrDefaultAsync(w => w.Name == workspaceName, ct);
        if (workspace is null) return SaveResult.Invalid(null, null, $"There is no workspace named '{workspaceName}'.");
        var target = workspace.FindInitiative(key);
        if (target is null) return SaveResult.Saved; // already gone: the founder's intent holds
        if (target.Version != version) return SaveResult.Conflicted(key, StaleMessage(target));

        var dependents = workspace.Initiatives.Where(i => i.Dependencies.Any(d => d.PredecessorKey == key)).Select(i => i.Key).ToList();
        if (dependents.Count > 0)
            return SaveResult.Invalid(key, "dependsOn",
                $"'{target.Title}' cannot be deleted: {string.Join(", ", dependents)} depend{(dependents.Count == 1 ? "s" : "")} on it. Remove those dependencies first.");

        db.Initiatives.Remove(target);
        db.Entry(target).Property(i => i.Version).OriginalValue = version;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return SaveResult.Conflicted(key, StaleMessage(target));
        }
        return SaveResult.Saved;
    }

    /// <summary>Saves the workspace's own fields, teams and objectives (not its initiatives, which keep their rows).</summary>
    public async Task<SaveResult> UpdateWorkspaceAsync(Workspace edited, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var workspace = await Query(db).FirstOrDefaultAsync(w => w.Id == edited.Id, ct);
        if (workspace is null) return SaveResult.Invalid(null, null, $"The workspace '{edited.Name}' no longer exists.");
        if (edited.Name != workspace.Name && await db.Workspaces.AnyAsync(w => w.Name == edited.Name, ct))
            return SaveResult.Invalid(null, "name", $"Another workspace is already named '{edited.Name}'.");

        var candidate = edited.Clone();
        candidate.Initiatives = [.. workspace.Initiatives.Select(i => i.Clone())];
        if (RoadmapValidator.Validate(candidate) is { Count: > 0 } problems) return SaveResult.Invalid(problems);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        workspace.Name = edited.Name;
        workspace.CompanyName = edited.CompanyName;
        workspace.Vision = edited.Vision;
        workspace.Stage = edited.Stage;
        workspace.RunwayMonths = edited.RunwayMonths;
        workspace.PlanningStart = edited.PlanningStart;
        workspace.Scoring = edited.Scoring;
        SyncTeams(workspace, edited.Teams);
        SyncObjectives(workspace, edited.Objectives);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return SaveResult.Saved;
    }

    private static void SyncTeams(Workspace workspace, List<Team> wanted)
    {
        workspace.Teams.RemoveAll(t => wanted.All(w => w.Key != t.Key));
        foreach (var team in wanted)
        {
            var existing = workspace.FindTeam(team.Key);
            if (existing is null)
            {
                workspace.Teams.Add(new Team { Key = team.Key, Name = team.Name, Capacity = team.Capacity, CapacityChanges = [.. team.CapacityChanges] });
                continue;
            }
            existing.Name = team.Name;
            existing.Capacity = team.Capacity;
            existing.CapacityChanges = [.. team.CapacityChanges];
        }
    }

    private static void SyncObjectives(Workspace workspace, List<Objective> wanted)
    {
        workspace.Objectives.RemoveAll(o => wanted.All(w => w.Key != o.Key));
        foreach (var objective in wanted)
        {
            var existing = workspace.Objectives.Find(o => o.Key == objective.Key);
            if (existing is null)
            {
                workspace.Objectives.Add(new Objective { Key = objective.Key, Title = objective.Title, KeyResults = [.. objective.KeyResults] });
                continue;
            }
            existing.Title = objective.Title;
            existing.KeyResults = [.. objective.KeyResults];
        }
    }

    /// <summary>Replaces the whole roadmap of the workspace named in <paramref name="incoming"/> (or creates it). The
    /// previous roadmap is kept as a <see cref="RoadmapVersion"/> first, in the same transaction.</summary>
    public async Task<ReplaceOutcome> ReplaceRoadmapAsync(Workspace incoming, string reason, CancellationToken ct = default)
    {
        if (RoadmapValidator.Validate(incoming) is { Count: > 0 } problems)
            throw new ArgumentException($"Validate before replacing: {string.Join("; ", problems)}", nameof(incoming));

        var fresh = incoming.Clone();
        foreach (var t in fresh.Teams) t.Id = 0;
        foreach (var o in fresh.Objectives) o.Id = 0;
        for (var n = 0; n < fresh.Initiatives.Count; n++)
        {
            fresh.Initiatives[n].Id = 0;
            fresh.Initiatives[n].Order = n;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var existing = await Query(db).FirstOrDefaultAsync(w => w.Name == incoming.Name, ct);
        foreach (var item in fresh.Initiatives)
        {
            // Continue each surviving initiative's version, so an editor holding the old one gets a conflict.
            item.Version = (existing?.FindInitiative(item.Key)?.Version ?? 0) + 1;
        }
        RoadmapVersion? kept = null;
        if (existing is null)
        {
            fresh.Id = 0;
            db.Workspaces.Add(fresh);
        }
        else
        {
            RestoreOrder(existing);
            kept = Snapshot(existing, $"Before {reason}");
            db.Versions.Add(kept);
            // Delete the old rows first: the new ones reuse their (workspace, id) keys.
            db.Initiatives.RemoveRange(existing.Initiatives);
            db.Teams.RemoveRange(existing.Teams);
            db.Objectives.RemoveRange(existing.Objectives);
            await db.SaveChangesAsync(ct);

            existing.CompanyName = fresh.CompanyName;
            existing.Vision = fresh.Vision;
            existing.Stage = fresh.Stage;
            existing.RunwayMonths = fresh.RunwayMonths;
            existing.PlanningStart = fresh.PlanningStart;
            existing.Scoring = fresh.Scoring;
            existing.Teams.AddRange(fresh.Teams);
            existing.Objectives.AddRange(fresh.Objectives);
            existing.Initiatives.AddRange(fresh.Initiatives);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ReplaceOutcome(Created: existing is null, KeptVersion: kept?.Name);
    }

    /// <summary>Sets the evidence of the named initiatives (null clears it) in one transaction. Each initiative whose
    /// evidence really changes gets a new version, so an editor holding the old copy cannot overwrite it unseen.
    /// Keys that are no longer in the workspace are skipped. Returns how many initiatives changed.</summary>
    public async Task<int> SetEvidenceAsync(string workspaceName, IReadOnlyDictionary<string, Prioritization.Evidence?> evidence, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var workspace = await Query(db).FirstOrDefaultAsync(w => w.Name == workspaceName, ct)
            ?? throw new ArgumentException($"No workspace '{workspaceName}'.", nameof(workspaceName));
        var changed = 0;
        foreach (var (key, value) in evidence)
        {
            if (workspace.FindInitiative(key) is not { } target) continue;
            if (target.Evidence is null ? value is null : target.Evidence.SameAs(value)) continue;
            target.Evidence = value;
            target.Version++;
            changed++;
        }
        await db.SaveChangesAsync(ct);
        return changed;
    }

    public async Task<RoadmapVersion> SaveVersionAsync(string workspaceName, string name, CancellationToken ct = default)
    {
        var workspace = await LoadAsync(workspaceName, ct) ?? throw new ArgumentException($"No workspace '{workspaceName}'.", nameof(workspaceName));
        await using var db = await factory.CreateDbContextAsync(ct);
        var version = Snapshot(workspace, name);
        db.Versions.Add(version);
        await db.SaveChangesAsync(ct);
        return version;
    }

    public async Task<IReadOnlyList<RoadmapVersion>> VersionsAsync(string workspaceName, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var id = await db.Workspaces.Where(w => w.Name == workspaceName).Select(w => (int?)w.Id).FirstOrDefaultAsync(ct);
        return id is null ? [] : await db.Versions.Where(v => v.WorkspaceId == id).OrderByDescending(v => v.Id).ToListAsync(ct);
    }

    private RoadmapVersion Snapshot(Workspace workspace, string name) => new()
    {
        WorkspaceId = workspace.Id,
        Name = name,
        CreatedUtc = clock.GetUtcNow().UtcDateTime,
        InitiativeCount = workspace.Initiatives.Count,
        Snapshot = RoadmapJson.Serialize(workspace),
    };
}
