namespace Planner.Persistence;

/// <summary>A workspace's saved mapping for one tracker's exports (<see cref="Interchange.ImportMapping"/> as JSON).</summary>
public sealed class SavedImportMapping
{
    public int Id { get; set; }
    public int WorkspaceId { get; set; }

    /// <summary>The tracker, as <see cref="Interchange.TrackerFormats.Name"/> spells it.</summary>
    public required string Format { get; set; }
    public required string Json { get; set; }
    public DateTime SavedUtc { get; set; }
}
