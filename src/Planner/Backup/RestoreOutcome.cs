namespace Planner.Backup;

/// <summary>A restore's result: the manifest restored, or why nothing was restored.</summary>
public sealed record RestoreOutcome(BackupManifest? Manifest, string? Error)
{
    public bool Ok => Error is null;
}
