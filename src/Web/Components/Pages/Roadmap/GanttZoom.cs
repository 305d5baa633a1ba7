namespace Planner.Web.Components.Pages.Roadmap;

/// <summary>How much time one screen of the Gantt shows: the column unit of its header.</summary>
public enum GanttZoom
{
    Weeks,
    Months,
    Quarters,
}
