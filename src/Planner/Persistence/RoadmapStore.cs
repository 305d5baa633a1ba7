using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Planner.Interchange;
using Planner.Roadmaps;

namespace Planner.Persistence;

/// <summary>Reads and changes saved workspaces: their own fields, teams and objectives, the whole roadmap at once, and
/// evidence. Every change is validated against the whole roadmap first and written in one transaction. One initiative
/// at a time: <see cref="InitiativeStore"/>; saved versions: <see cref="RoadmapVersions"/>.</summary>
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
    internal static void RestoreOrder(Workspace workspace)
    {
        workspace.Teams.Sort((a, b) => a.Id.CompareTo(b.Id));
        workspace.Objectives.Sort((a, b) => a.Id.CompareTo(b.Id));
        workspace.Initiatives.Sort((a, b) => a.Order != b.Order ? a.Order.CompareTo(b.Order) : a.Id.CompareTo(b.Id));
    }

    internal static IQueryable<Workspace> Query(PlannerDbContext db) =>
        db.Workspaces.Include(w => w.Teams).Include(w => w.Objectives).Include(w => w.Initiatives).AsSplitQuery().OrderBy(w => w.Id);

    /// <summary>Saves the workspace's own fields, teams and objectives (not its initiatives, which keep their rows).</summary>
    public Task<SaveResult> UpdateWorkspaceAsync(Workspace edited, CancellationToken ct = default) =>
        UpdateWorkspaceAsync(edited, basedOn: null, ct);

    /// <summary>As <see cref="UpdateWorkspaceAsync(Workspace, CancellationToken)"/>, but only if the workspace's own
    /// fields, teams and objectives are still those the page read (<see cref="CompanyFingerprint"/>); read, validated
    /// and written in one serializable transaction, so an initiative saved meanwhile is validated against too.</summary>
    public async Task<SaveResult> UpdateWorkspaceAsync(Workspace edited, string? basedOn, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
        var workspace = await Query(db).FirstOrDefaultAsync(w => w.Id == edited.Id, ct);
        if (workspace is null) return SaveResult.Invalid(null, null, $"The workspace '{edited.Name}' no longer exists.");
        RestoreOrder(workspace);
        if (basedOn is not null && CompanyFingerprint(workspace) != basedOn)
            return SaveResult.Conflicted(workspace.Name,
                $"The settings of '{workspace.Name}' were changed by someone else after you opened them; your changes were not saved. Reload to see the latest.");
        if (edited.Name != workspace.Name && await db.Workspaces.AnyAsync(w => w.Name == edited.Name, ct))
            return SaveResult.Invalid(null, "name", $"Another workspace is already named '{edited.Name}'.");

        var candidate = edited.Clone();
        candidate.Initiatives = [.. workspace.Initiatives.Select(i => i.Clone())];
        if (RoadmapValidator.Validate(candidate) is { Count: > 0 } problems) return SaveResult.Invalid(problems);

        workspace.Name = edited.Name;
        CopyCompanyFields(workspace, edited);
        SyncTeams(workspace, edited.Teams);
        SyncObjectives(workspace, edited.Objectives);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return SaveResult.Saved;
    }

    /// <summary>The workspace's own fields other than its name (company, vision, stage, runway, planning start, scoring).</summary>
    private static void CopyCompanyFields(Workspace target, Workspace source)
    {
        target.CompanyName = source.CompanyName;
        target.Vision = source.Vision;
        target.Stage = source.Stage;
        target.RunwayMonths = source.RunwayMonths;
        target.PlanningStart = source.PlanningStart;
        target.Scoring = source.Scoring;
        target.DefaultEstimateWeeks = source.DefaultEstimateWeeks;
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

    /// <summary>What a workspace's own fields, teams and objectives say, its initiatives left out (see <see cref="Fingerprint"/>).</summary>
    public static string CompanyFingerprint(Workspace workspace)
    {
        var company = workspace.Clone();
        company.Initiatives = [];
        return Fingerprint(company);
    }

    /// <summary>What a roadmap says (its export as JSON, hashed): equal for two copies of the same saved state.</summary>
    public static string Fingerprint(Workspace workspace) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(RoadmapJson.Serialize(workspace))));

    /// <summary>Replaces the whole roadmap of the workspace named in <paramref name="incoming"/> (or creates it). The
    /// previous roadmap is kept as a <see cref="RoadmapVersion"/> first, in the same transaction.</summary>
    public Task<ReplaceOutcome> ReplaceRoadmapAsync(Workspace incoming, string reason, CancellationToken ct = default) =>
        ReplaceRoadmapAsync(incoming, reason, basedOn: null, ct);

    /// <summary>As <see cref="ReplaceRoadmapAsync(Workspace, string, CancellationToken)"/>, but only if the saved roadmap
    /// is still the one <paramref name="incoming"/> was made from (its <see cref="Fingerprint"/>, taken when the page
    /// or the tool read it): a scenario computed on a stale copy never overwrites newer edits.</summary>
    public async Task<ReplaceOutcome> ReplaceRoadmapAsync(Workspace incoming, string reason, string? basedOn, CancellationToken ct = default)
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
        if (existing is not null && basedOn is not null)
        {
            RestoreOrder(existing);
            if (Fingerprint(existing) != basedOn)
                return new ReplaceOutcome(false, null,
                    "The roadmap was changed after this was computed from it; nothing was saved. Reload and try again on the current roadmap.");
        }
        var oldVersions = VersionsByKey(existing);
        foreach (var item in fresh.Initiatives)
        {
            // Continue each surviving initiative's version, so an editor holding the old one gets a conflict.
            item.Version = oldVersions.GetValueOrDefault(item.Key) + 1;
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
            kept = RoadmapVersions.Snapshot(existing, $"Before {reason}", clock);
            db.Versions.Add(kept);
            // Delete the old rows first: the new ones reuse their (workspace, id) keys.
            db.Initiatives.RemoveRange(existing.Initiatives);
            db.Teams.RemoveRange(existing.Teams);
            db.Objectives.RemoveRange(existing.Objectives);
            await db.SaveChangesAsync(ct);

            CopyCompanyFields(existing, fresh);
            existing.Teams.AddRange(fresh.Teams);
            existing.Objectives.AddRange(fresh.Objectives);
            existing.Initiatives.AddRange(fresh.Initiatives);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ReplaceOutcome(Created: existing is null, KeptVersion: kept?.Name);
    }

    /// <summary>Each initiative's version by id (dictionary lookups keep a large import linear).</summary>
    private static Dictionary<string, int> VersionsByKey(Workspace? workspace)
    {
        var versions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in workspace?.Initiatives ?? []) versions.TryAdd(item.Key, item.Version);
        return versions;
    }

    /// <summary>Sets the evidence of the named initiatives (null clears it) in one transaction. Each initiative whose
    /// evidence really changes gets a new version, so an editor holding the old copy cannot overwrite it unseen.
    /// Keys that are no longer in the workspace are skipped. Returns how many initiatives changed.</summary>
    public async Task<int> SetEvidenceAsync(string workspaceName, IReadOnlyDictionary<string, Evidence?> evidence, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var workspace = await Query(db).FirstOrDefaultAsync(w => w.Name == workspaceName, ct)
            ?? throw new ArgumentException($"No workspace '{workspaceName}'.", nameof(workspaceName));
        var byKey = workspace.Initiatives.ToLookup(i => i.Key, StringComparer.Ordinal);
        var changed = 0;
        foreach (var (key, value) in evidence)
        {
            if (byKey[key].FirstOrDefault() is not { } target) continue;
            if (target.Evidence is null ? value is null : target.Evidence.SameAs(value)) continue;
            target.Evidence = value;
            target.Version++;
            changed++;
        }
        await db.SaveChangesAsync(ct);
        return changed;
    }

}
