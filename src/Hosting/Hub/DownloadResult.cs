namespace Planner.Hosting.Hub;

/// <summary>A finished download: the file in the models folder, its verified SHA-256 and size, whether it was already
/// there (nothing downloaded), and how many bytes this call fetched (less than the size after a resume).</summary>
public sealed record DownloadResult(string FilePath, string Sha256, long Size, bool AlreadyPresent, long BytesFetched);
