namespace Planner.Backup;

/// <summary>What deleting a workspace did: whether it was deleted, a sentence saying so (or why not), and the backup
/// files kept before it (full paths).</summary>
public sealed record WorkspaceDeletion(bool Ok, string Message, IReadOnlyList<string> KeptFiles);
