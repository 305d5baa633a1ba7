namespace Planner.Persistence;

/// <summary>What one append added to a workspace's chat (the assistant's chat entries as a JSON array: a question and
/// its answer, say), in the order it was written: the
/// chat lives in the database, so every instance of the app on one PostgreSQL shares it, appends from two of them never
/// overwrite each other, a renamed workspace keeps it and a deleted one takes it along.</summary>
public sealed class StoredChatEntry
{
    public int Id { get; set; }
    public int WorkspaceId { get; set; }
    public required string EntryJson { get; set; }
}
