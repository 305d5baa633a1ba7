namespace Planner.Roadmaps;

/// <summary>A named snapshot of a workspace's roadmap, taken before it is replaced and whenever the founder asks.</summary>
public sealed class RoadmapVersion
{
    public int Id { get; set; }
    public int WorkspaceId { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedUtc { get; set; }
    public int InitiativeCount { get; set; }

    /// <summary>The whole roadmap in the roadmap JSON format (docs/roadmap-format.md).</summary>
    public required string Snapshot { get; set; }
}
