using Microsoft.EntityFrameworkCore;
using Planner.Security;

namespace Planner.Persistence;

/// <summary>Personal access tokens in the database (so every instance on one PostgreSQL knows them): created with a
/// name, optionally for one workspace and until a date, listed, revoked, and checked on each API or MCP request.</summary>
public sealed class ApiTokenStore(IDbContextFactory<PlannerDbContext> factory, TimeProvider clock)
{
    public const int MaxNameLength = 100;

    /// <summary>Creates a token; the returned text is shown once and never stored. Bad input (an empty or long name, an
    /// unknown workspace, an expiry in the past) is refused with a message and nothing is written.</summary>
    public async Task<CreatedApiToken> CreateAsync(string name, string? workspace, DateTime? expiresUtc, CancellationToken ct = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > MaxNameLength) return CreatedApiToken.Refused($"A token needs a name of 1 to {MaxNameLength} characters.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (expiresUtc is { } expiry && expiry <= now) return CreatedApiToken.Refused($"The expiry {expiry:yyyy-MM-dd HH:mm} UTC is in the past.");
        await using var db = await factory.CreateDbContextAsync(ct);
        if (workspace is not null && !await db.Workspaces.AnyAsync(w => w.Name == workspace, ct))
            return CreatedApiToken.Refused($"There is no workspace named '{workspace}'.");
        var secret = ApiTokenSecret.NewToken();
        var token = new ApiToken
        {
            Name = name,
            Prefix = ApiTokenSecret.PrefixOf(secret),
            Hash = ApiTokenSecret.Hash(secret),
            Workspace = workspace,
            CreatedUtc = now,
            ExpiresUtc = expiresUtc,
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return new CreatedApiToken(token, secret, null);
    }

    public async Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.ApiTokens.AsNoTracking().OrderBy(t => t.Id).ToListAsync(ct);
    }

    /// <summary>Revokes the token with this id or prefix; false when there is none (revoking twice is fine).</summary>
    public async Task<bool> RevokeAsync(string idOrPrefix, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var id = int.TryParse(idOrPrefix, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1;
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id || t.Prefix == idOrPrefix, ct);
        if (token is null) return false;
        token.RevokedUtc ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The active token this text is, or why it is not one.</summary>
    public async Task<ApiTokenCheck> CheckAsync(string presented, CancellationToken ct = default)
    {
        if (!ApiTokenSecret.LooksLikeToken(presented)) return ApiTokenCheck.Refused("The token is not a Planner access token.");
        var hash = ApiTokenSecret.Hash(presented);
        await using var db = await factory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash, ct);
        if (token is null) return ApiTokenCheck.Refused("The token is not known here.");
        if (token.RevokedUtc is not null) return ApiTokenCheck.Refused($"The token '{token.Name}' was revoked.");
        if (!token.IsActive(clock.GetUtcNow().UtcDateTime)) return ApiTokenCheck.Refused($"The token '{token.Name}' expired on {token.ExpiresUtc:yyyy-MM-dd HH:mm} UTC.");
        return new ApiTokenCheck(token, null);
    }
}
