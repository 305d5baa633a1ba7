using Microsoft.EntityFrameworkCore;
using Planner.Interchange;

namespace Planner.Persistence;

/// <summary>Each workspace's saved import mapping per tracker: the founder's changes to a format's defaults, reused
/// by every later import of that tracker's exports into the workspace.</summary>
public sealed class ImportMappingStore(IDbContextFactory<PlannerDbContext> factory, TimeProvider clock)
{
    /// <summary>The saved mapping for the tracker, or null when there is none (or no such workspace).</summary>
    public async Task<ImportMapping?> FindAsync(string workspaceName, TrackerFormat format, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var name = TrackerFormats.Name(format);
        var saved = await db.ImportMappings.AsNoTracking()
            .Where(m => m.Format == name && db.Workspaces.Any(w => w.Id == m.WorkspaceId && w.Name == workspaceName))
            .Select(m => m.Json).FirstOrDefaultAsync(ct);
        return saved is null ? null : ImportMapping.FromJson(saved, out _);
    }

    /// <summary>Saves (or replaces) the workspace's mapping for the mapping's tracker. Returns the reason it cannot, or null.</summary>
    public async Task<string?> SaveAsync(string workspaceName, ImportMapping mapping, CancellationToken ct = default)
    {
        if (mapping.Check() is { } problem) return problem;
        await using var db = await factory.CreateDbContextAsync(ct);
        var workspaceId = await db.WorkspaceIdAsync(workspaceName, ct);
        if (workspaceId is null) return $"There is no workspace named '{workspaceName}'.";
        var format = TrackerFormats.Name(TrackerFormats.Parse(mapping.Format)!.Value);
        var saved = await db.ImportMappings.FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.Format == format, ct);
        if (saved is null)
        {
            saved = new SavedImportMapping { WorkspaceId = workspaceId.Value, Format = format, Json = "" };
            db.ImportMappings.Add(saved);
        }
        saved.Json = mapping.ToJson();
        saved.SavedUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return null;
    }
}
