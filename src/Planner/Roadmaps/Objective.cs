namespace Planner.Roadmaps;

/// <summary>An OKR-style objective that initiatives contribute to.</summary>
public sealed class Objective
{
    public int Id { get; set; }
    public int WorkspaceId { get; set; }
    public required string Key { get; set; }
    public required string Title { get; set; }
    public List<KeyResult> KeyResults { get; set; } = [];
}
