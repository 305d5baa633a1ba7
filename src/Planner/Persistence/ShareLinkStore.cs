using Microsoft.EntityFrameworkCore;
using Planner.Security;

namespace Planner.Persistence;

/// <summary>Read-only share links in the database (so every instance on one database knows them at once): made with a
/// label for one workspace, listed, revoked (the row is deleted), and resolved on each request to <c>/s/{token}</c>.</summary>
public sealed class ShareLinkStore(IDbContextFactory<PlannerDbContext> factory, TimeProvider clock)
{
    public const int MaxLabelLength = 100;

    /// <summary>Where a link's token goes: the link is this prefix followed by the token.</summary>
    public const string PathPrefix = "/s/";

    /// <summary>Makes a link to the named workspace; the returned token is shown once and never stored. An empty or long
    /// label, or an unknown workspace, is refused with a message and nothing is written.</summary>
    public async Task<CreatedShareLink> CreateAsync(string workspaceName, string label, CancellationToken ct = default)
    {
        label = label.Trim();
        if (label.Length is 0 or > MaxLabelLength)
            return CreatedShareLink.Refused($"A share link needs a label of 1 to {MaxLabelLength} characters (who it is for).");
        await using var db = await factory.CreateDbContextAsync(ct);
        var workspaceId = await db.WorkspaceIdAsync(workspaceName, ct);
        if (workspaceId is null) return CreatedShareLink.Refused($"There is no workspace named '{workspaceName}'.");
        var token = ShareLinkSecret.NewToken();
        var link = new ShareLink
        {
            WorkspaceId = workspaceId.Value,
            Label = label,
            Hash = ShareLinkSecret.Hash(token),
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.ShareLinks.Add(link);
        await db.SaveChangesAsync(ct);
        return new CreatedShareLink(link, token, null);
    }

    /// <summary>The workspace's links, oldest first; empty for an unknown workspace.</summary>
    public async Task<IReadOnlyList<ShareLink>> ListAsync(string workspaceName, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.ShareLinks.AsNoTracking()
            .Where(l => db.Workspaces.Any(w => w.Id == l.WorkspaceId && w.Name == workspaceName))
            .OrderBy(l => l.Id).ToListAsync(ct);
    }

    /// <summary>Revokes (deletes) the workspace's link with this id; false when there is none.</summary>
    public async Task<bool> RevokeAsync(string workspaceName, int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var removed = await db.ShareLinks
            .Where(l => l.Id == id && db.Workspaces.Any(w => w.Id == l.WorkspaceId && w.Name == workspaceName))
            .ExecuteDeleteAsync(ct);
        return removed > 0;
    }

    /// <summary>The name of the workspace a presented token shares, or null when it is not a live link. The database
    /// is asked for the token's SHA-256, never the token, and the stored hash is compared in constant time.</summary>
    public async Task<string?> ResolveAsync(string presented, CancellationToken ct = default)
    {
        if (!ShareLinkSecret.LooksLikeToken(presented)) return null;
        var hash = ShareLinkSecret.Hash(presented);
        await using var db = await factory.CreateDbContextAsync(ct);
        var found = await db.ShareLinks.AsNoTracking().Where(l => l.Hash == hash)
            .Select(l => new { l.Hash, Workspace = db.Workspaces.Where(w => w.Id == l.WorkspaceId).Select(w => w.Name).First() })
            .FirstOrDefaultAsync(ct);
        return found is not null && ShareLinkSecret.SameHash(found.Hash, hash) ? found.Workspace : null;
    }
}
