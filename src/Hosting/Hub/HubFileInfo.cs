namespace Planner.Hosting.Hub;

/// <summary>What the hub says about one file before it is downloaded: the commit it resolves to, its size, its
/// SHA-256 (the large-file storage ETag) and where its bytes are served from.</summary>
public sealed record HubFileInfo(string Repository, string Path, string? Commit, long Size, string? Sha256, Uri Location);
