namespace Planner.Web.Components.Pages.Roadmap;

/// <summary>A dependency arrow from the predecessor's bar end to the successor's bar start, in pixels of the chart's
/// track area; <see cref="Path"/> is its SVG path. <see cref="Critical"/>: both ends are on the critical chain.</summary>
public sealed record GanttArrow(string From, string To, double X1, double Y1, double X2, double Y2, string Path, bool Critical);
