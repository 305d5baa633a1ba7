namespace Planner.Web.Components.Pages.Roadmap;

/// <summary>One dependency in the detail panel: the initiative chosen from the roadmap and the weeks of lag after it.</summary>
public sealed class DependencyChoice
{
    public string PredecessorKey { get; set; } = "";
    public int? LagWeeks { get; set; }
}
