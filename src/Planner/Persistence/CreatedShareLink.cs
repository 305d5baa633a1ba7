using Planner.Security;

namespace Planner.Persistence;

/// <summary>A link just made (<see cref="Token"/> is its secret, shown once), or why none was (<see cref="Error"/>).</summary>
public sealed record CreatedShareLink(ShareLink? Link, string? Token, string? Error)
{
    public bool Ok => Error is null;

    /// <summary>The link's path on this site.</summary>
    public string? Path => Token is null ? null : ShareLinkStore.PathPrefix + Token;

    public static CreatedShareLink Refused(string error) => new(null, null, error);
}
