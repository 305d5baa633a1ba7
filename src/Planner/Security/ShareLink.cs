namespace Planner.Security;

/// <summary>A read-only link to a workspace's one-page roadmap (<c>/s/{token}</c>), as stored: never the token itself,
/// only its SHA-256 (<see cref="Hash"/>), with the label the founder gave it. Revoking deletes the row.</summary>
public sealed class ShareLink
{
    public int Id { get; set; }
    public int WorkspaceId { get; set; }

    /// <summary>Who the link is for ("board", "investors").</summary>
    public string Label { get; set; } = "";

    /// <summary>SHA-256 of the token, lower-case hex.</summary>
    public string Hash { get; set; } = "";

    public DateTime CreatedUtc { get; set; }
}
