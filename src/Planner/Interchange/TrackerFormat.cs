namespace Planner.Interchange;

/// <summary>Where an initiatives CSV comes from, recognised from its header (see <see cref="TrackerFormats"/>).</summary>
public enum TrackerFormat
{
    /// <summary>Planner's own columns (docs/roadmap-format.md), as Planner exports them.</summary>
    Planner,
    Jira,
    Linear,
    GitHubProjects,
    Productboard,
}
