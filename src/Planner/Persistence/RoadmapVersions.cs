using Microsoft.EntityFrameworkCore;
using Planner.Interchange;
using Planner.Roadmaps;

namespace Planner.Persistence;

/// <summary>Saved versions of a workspace's roadmap: taken whenever the founder asks and before a roadmap is replaced,
/// listed newest first, and read back as a workspace (for "planned vs computed").</summary>
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
