namespace Planner.Web.Components.Pages.Roadmap;

/// <summary>One labelled header cell of the Gantt: <see cref="Weeks"/> weeks from <see cref="StartWeek"/>.</summary>
public sealed record GanttTick(string Label, int StartWeek, int Weeks);
