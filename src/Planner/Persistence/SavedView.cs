namespace Planner.Persistence;

/// <summary>A named filter of a workspace's roadmap (<see cref="Roadmaps.RoadmapFilter"/> as JSON), shared by the grid,
/// the Gantt and the boards.</summary>
public sealed class SavedView
{
    public int Id { get; set; }
    public int WorkspaceId { get; set; }
    public required string Name { get; set; }
    public required string FilterJson { get; set; }
    public DateTime SavedUtc { get; set; }
}
