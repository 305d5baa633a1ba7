using Microsoft.EntityFrameworkCore;
using Planner.Interchange;
using Planner.Roadmaps;

namespace Planner.Persistence;

/// <summary>Saved versions of a workspace's roadmap: taken whenever the founder asks and before a roadmap is replaced,
/// listed newest first, read back as a workspace (for "planned vs computed" and comparisons), and restored.</summary>
public sealed class RoadmapVersions(IDbContextFactory<PlannerDbContext> factory, RoadmapStore store, TimeProvider clock)
{
    public async Task<RoadmapVersion> SaveVersionAsync(string workspaceName, string name, CancellationToken ct = default)
    {
        var workspace = await store.LoadAsync(workspaceName, ct) ?? throw new ArgumentException($"No workspace '{workspaceName}'.", nameof(workspaceName));
        await using var db = await factory.CreateDbContextAsync(ct);
        var version = Snapshot(workspace, name, clock);
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

    /// <summary>The newest saved version and the roadmap it holds; null when there is none (or it cannot be read).</summary>
    public async Task<(RoadmapVersion Version, Workspace Workspace)?> LatestAsync(string workspaceName, CancellationToken ct = default)
    {
        var versions = await VersionsAsync(workspaceName, ct);
        var version = versions.Count > 0 ? versions[0] : null;
        return version is not null && RoadmapJson.Read(System.Text.Encoding.UTF8.GetBytes(version.Snapshot)) is { Ok: true } read
            ? (version, read.Workspace!)
            : null;
    }

    /// <summary>The version with this id of the named workspace and the roadmap it holds; null when there is no such
    /// version (the roadmap is null when the stored snapshot cannot be read).</summary>
    public async Task<(RoadmapVersion Version, Workspace? Roadmap)?> ReadAsync(string workspaceName, int versionId, CancellationToken ct = default)
    {
        var version = (await VersionsAsync(workspaceName, ct)).FirstOrDefault(v => v.Id == versionId);
        if (version is null) return null;
        var read = RoadmapJson.Read(System.Text.Encoding.UTF8.GetBytes(version.Snapshot));
        return (version, read.Ok ? read.Workspace : null);
    }

    /// <summary>What restoring the version would do to the named workspace now (nothing is written): the version's
    /// initiatives on today's company settings, teams and objectives — those are edited on the Workspace page, not
    /// versioned with the roadmap. Demand on a team and links to an objective that no longer exist are dropped and
    /// listed; if the result is still not a valid roadmap the plan is refused with the problems.</summary>
    public async Task<RestorePlan> PlanRestoreAsync(string workspaceName, int versionId, CancellationToken ct = default)
    {
        var current = await store.LoadAsync(workspaceName, ct);
        if (current is null) return RestorePlan.Refused(null, $"There is no workspace named '{workspaceName}'.");
        if (await ReadAsync(workspaceName, versionId, ct) is not { } found)
            return RestorePlan.Refused(null, $"The version no longer exists in '{workspaceName}'.");
        var (version, saved) = found;
        if (saved is null) return RestorePlan.Refused(version, $"The version '{version.Name}' cannot be read; nothing was restored.");

        var restored = current.Clone();
        restored.Initiatives = [.. saved.Initiatives.Select(i => i.Clone())];
        var dropped = new List<string>();
        foreach (var item in restored.Initiatives)
        {
            foreach (var demand in item.Demand.Where(d => current.FindTeam(d.TeamKey) is null))
                dropped.Add($"{item.Key} '{item.Title}': {demand.People} people of team '{demand.TeamKey}', which no longer exists.");
            foreach (var objective in item.ObjectiveKeys.Where(o => current.Objectives.All(x => x.Key != o)))
                dropped.Add($"{item.Key} '{item.Title}': the link to objective '{objective}', which no longer exists.");
            item.Demand = [.. item.Demand.Where(d => current.FindTeam(d.TeamKey) is not null)];
            item.ObjectiveKeys = [.. item.ObjectiveKeys.Where(o => current.Objectives.Any(x => x.Key == o))];
        }
        var problems = RoadmapValidator.Validate(restored);
        return problems.Count > 0 ? new RestorePlan(version, null, dropped, problems) : new RestorePlan(version, restored, dropped, []);
    }

    /// <summary>Restores the version (see <see cref="PlanRestoreAsync"/>). Today's roadmap is kept as a version first, in
    /// the same transaction. <paramref name="basedOn"/> is the <see cref="RoadmapStore.Fingerprint"/> of the roadmap the
    /// founder looked at when choosing: if it changed since, nothing is written and the outcome says so.</summary>
    public async Task<(RestorePlan Plan, ReplaceOutcome? Outcome)> RestoreAsync(string workspaceName, int versionId, string? basedOn, CancellationToken ct = default)
    {
        var plan = await PlanRestoreAsync(workspaceName, versionId, ct);
        if (!plan.Ok) return (plan, null);
        var outcome = await store.ReplaceRoadmapAsync(plan.Roadmap!, $"restoring version '{plan.Version!.Name}'", basedOn, ct);
        return (plan, outcome);
    }

    /// <summary>A version of <paramref name="workspace"/> as it is now, named <paramref name="name"/>.</summary>
    internal static RoadmapVersion Snapshot(Workspace workspace, string name, TimeProvider clock) => new()
    {
        WorkspaceId = workspace.Id,
        Name = name,
        CreatedUtc = clock.GetUtcNow().UtcDateTime,
        InitiativeCount = workspace.Initiatives.Count,
        Snapshot = RoadmapJson.Serialize(workspace),
    };
}
