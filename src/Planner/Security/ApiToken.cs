namespace Planner.Security;

/// <summary>A personal access token for the HTTP API and the MCP server, as stored: never the token itself, only its
/// SHA-256 (<see cref="Hash"/>) and the first characters the founder recognises it by (<see cref="Prefix"/>).</summary>
public sealed class ApiToken
{
    public int Id { get; set; }

    /// <summary>What the founder called it ("reporting script", "assistant").</summary>
    public string Name { get; set; } = "";

    /// <summary>The token's first characters (e.g. <c>plnr_ab12cd34</c>), shown in lists.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>SHA-256 of the whole token, lower-case hex.</summary>
    public string Hash { get; set; } = "";

    /// <summary>The only workspace the token may read and change; null for every workspace.</summary>
    public string? Workspace { get; set; }

    public DateTime CreatedUtc { get; set; }
    public DateTime? ExpiresUtc { get; set; }
    public DateTime? RevokedUtc { get; set; }

    public bool IsActive(DateTime nowUtc) => RevokedUtc is null && (ExpiresUtc is null || ExpiresUtc > nowUtc);
}
