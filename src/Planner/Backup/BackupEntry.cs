namespace Planner.Backup;

/// <summary>One file in a backup: its path relative to the data directory ('/'-separated), size and SHA-256 (hex).</summary>
public sealed record BackupEntry(string Path, long Bytes, string Sha256);
