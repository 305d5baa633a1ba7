using Microsoft.EntityFrameworkCore;
using Planner.Roadmaps;

namespace Planner.Persistence;

/// <summary>Each workspace's saved views: a name and a <see cref="RoadmapFilter"/>. Saving a name that exists replaces
/// its filter. A view keeps what it was saved with; whoever shows it checks it against today's roadmap
/// (<see cref="RoadmapFilter.Missing"/>), so a deleted team is reported, not a crash.</summary>
public sealed class SavedViewStore(IDbContextFactory<PlannerDbContext> factory, TimeProvider clock)
{
    public const int MaxNameLength = 80;

    /// <summary>The workspace's views by name; a view whose stored filter cannot be read comes back with a null filter.</summary>
    public async Task<IReadOnlyList<(string Name, RoadmapFilter? Filter)>> ListAsync(string workspaceName, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.SavedViews.AsNoTracking()
            .Where(v => db.Workspaces.Any(w => w.Id == v.WorkspaceId && w.Name == workspaceName))
            .Select(v => new { v.Name, v.FilterJson }).ToListAsync(ct);
        return [.. rows.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).Select(r => (r.Name, RoadmapFilter.FromJson(r.FilterJson)))];
    }

    /// <summary>Saves (or replaces) the named view. Returns the reason it cannot, or null.</summary>
    public async Task<string?> SaveAsync(string workspaceName, string name, RoadmapFilter filter, CancellationToken ct = default)
    {
        name = name.Trim();
        if (name.Length == 0) return "Give the view a name.";
        if (name.Length > MaxNameLength) return $"A view's name has at most {MaxNameLength} characters (this one has {name.Length}).";
        await using var db = await factory.CreateDbContextAsync(ct);
        var workspaceId = await db.WorkspaceIdAsync(workspaceName, ct);
        if (workspaceId is null) return $"There is no workspace named '{workspaceName}'.";
        var view = await db.SavedViews.FirstOrDefaultAsync(v => v.WorkspaceId == workspaceId && v.Name == name, ct)
                   ?? db.SavedViews.Add(new SavedView { WorkspaceId = workspaceId.Value, Name = name, FilterJson = "" }).Entity;
        (view.FilterJson, view.SavedUtc) = (filter.ToJson(), clock.GetUtcNow().UtcDateTime);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return $"A view named '{name}' was saved at the same moment by someone else; nothing was changed. Try again.";
        }
        return null;
    }

    /// <summary>Deletes the named view; deleting one that is already gone is not an error.</summary>
    public async Task DeleteAsync(string workspaceName, string name, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.SavedViews.Where(v => v.Name == name && db.Workspaces.Any(w => w.Id == v.WorkspaceId && w.Name == workspaceName))
            .ExecuteDeleteAsync(ct);
    }
}
