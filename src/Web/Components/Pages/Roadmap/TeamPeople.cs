namespace Planner.Web.Components.Pages.Roadmap;

/// <summary>One team's line in the detail panel's demand: how many people of it the initiative needs each week.</summary>
public sealed class TeamPeople(string teamKey, string teamName)
{
    public string TeamKey { get; } = teamKey;
    public string TeamName { get; } = teamName;
    public int? People { get; set; }
}
