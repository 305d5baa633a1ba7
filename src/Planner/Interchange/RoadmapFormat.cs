namespace Planner.Interchange;

/// <summary>The file formats a roadmap can be exported to (JSON and CSV can also be imported).</summary>
public enum RoadmapFormat
{
    Json,
    Csv,
    Markdown,
}
