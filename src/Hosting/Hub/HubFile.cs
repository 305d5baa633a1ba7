namespace Planner.Hosting.Hub;

/// <summary>A file in a hub repository, as its tree listing gives it: the path, the size in bytes and, for files kept
/// in large-file storage (every model file), the SHA-256 of the content.</summary>
public sealed record HubFile(string Path, long Size, string? Sha256);
