using Planner.Roadmaps;
using Planner.Scheduling;
using Planner.Web.Components.Pages.Roadmap;

namespace Planner.Web.Tests.Roadmap;

/// <summary>The Gantt's geometry: scales, header ticks, arrows, deadlines, today and drags, in pixels.</summary>
public sealed class GanttLayoutTests
{
    private static readonly DateOnly Start = new(2027, 1, 4); // a Monday

    /// <summary>b1 (weeks 0–3) → b2 (3–6) → b3 (8–10, 2 weeks' lag); f1 (0–4) stands alone.</summary>
    private static (Workspace, List<ScheduledItem>) Plan()
    {
        var w = new Workspace { Name = "t", PlanningStart = Start };
        foreach (var key in new[] { "b1", "b2", "b3", "f1" }) w.Initiatives.Add(new Initiative { Key = key, Title = key });
        w.FindInitiative("b2")!.Dependencies = [new Dependency("b1")];
        w.FindInitiative("b3")!.Dependencies = [new Dependency("b2", 2)];
        return (w, [new("b1", 0, 3), new("b2", 3, 6), new("b3", 8, 10), new("f1", 0, 4)]);
    }

    [Theory]
    [InlineData(GanttZoom.Weeks, 44)]
    [InlineData(GanttZoom.Months, 18)]
    [InlineData(GanttZoom.Quarters, 8)]
    public void Each_zoom_has_its_own_week_width_and_the_chart_spans_the_plan_plus_two_weeks(GanttZoom zoom, double weekWidth)
    {
        var (w, rows) = Plan();
        var layout = new GanttLayout(w, rows, zoom, Start);
        Assert.Equal(weekWidth, layout.WeekWidth);
        Assert.Equal(12, layout.Weeks);
        Assert.Equal(12 * weekWidth, layout.Width);
        Assert.Equal(4 * GanttLayout.RowHeight, layout.Height);
    }

    [Fact]
    public void Header_ticks_are_weeks_months_or_quarters_by_the_day_each_week_starts()
    {
        var w = new Workspace { Name = "t", PlanningStart = Start };
        var weeks = GanttLayout.TicksOf(w, 14, GanttZoom.Weeks);
        Assert.Equal(14, weeks.Count);
        Assert.Equal(new GanttTick("Jan 11", 1, 1), weeks[1]);

        Assert.Equal([new GanttTick("Jan 2027", 0, 4), new GanttTick("Feb 2027", 4, 4), new GanttTick("Mar 2027", 8, 5), new GanttTick("Apr 2027", 13, 1)],
            GanttLayout.TicksOf(w, 14, GanttZoom.Months));
        Assert.Equal([new GanttTick("2027 Q1", 0, 13), new GanttTick("2027 Q2", 13, 1)], GanttLayout.TicksOf(w, 14, GanttZoom.Quarters));
        Assert.Equal([new GanttTick("2027", 0, 14)], GanttLayout.TicksOf(w, 14, null));
    }

    [Fact]
    public void A_dependency_arrow_runs_from_the_predecessors_end_to_the_successors_start()
    {
        var (w, rows) = Plan();
        var layout = new GanttLayout(w, rows, GanttZoom.Weeks, Start);

        Assert.Equal(2, layout.Arrows.Count);
        var lagged = layout.Arrows.Single(a => a.To == "b3");
        Assert.Equal(("b2", 6 * 44.0, 1.5 * GanttLayout.RowHeight, 8 * 44.0, 2.5 * GanttLayout.RowHeight), (lagged.From, lagged.X1, lagged.Y1, lagged.X2, lagged.Y2));
        Assert.Equal("M 264 42 H 270 V 70 H 352", lagged.Path);

        // b2 starts the week b1 ends: no room to turn in front of it, so the arrow doubles back between the rows.
        var touching = layout.Arrows.Single(a => a.To == "b2");
        Assert.Equal((132.0, 132.0), (touching.X1, touching.X2));
        Assert.Equal("M 132 14 H 138 V 28 H 126 V 42 H 132", touching.Path);
    }

    [Fact]
    public void Arrows_to_hidden_initiatives_are_left_out_and_critical_ones_are_marked()
    {
        var (w, rows) = Plan();
        var shown = rows.Where(r => r.Key != "b1").ToList(); // a filter hides b1
        var layout = new GanttLayout(w, shown, GanttZoom.Weeks, Start, new HashSet<string> { "b2", "b3" });

        var arrow = Assert.Single(layout.Arrows);
        Assert.Equal(("b2", "b3", true), (arrow.From, arrow.To, arrow.Critical));
        Assert.Equal(0.5 * GanttLayout.RowHeight, arrow.Y1); // b2 is now the first row
    }

    [Fact]
    public void Today_deadlines_and_drags_are_placed_in_pixels_of_the_zoom()
    {
        var (w, rows) = Plan();
        var layout = new GanttLayout(w, rows, GanttZoom.Weeks, new DateOnly(2027, 1, 18));
        Assert.Equal(2 * 44.0, layout.TodayX);
        Assert.Null(new GanttLayout(w, rows, GanttZoom.Weeks, new DateOnly(2026, 12, 2)).TodayX); // before the plan
        Assert.Null(new GanttLayout(w, rows, GanttZoom.Weeks, new DateOnly(2028, 1, 3)).TodayX);  // after the chart

        // A deadline on the Sunday that ends week 1 is drawn where a bar ending that week ends.
        Assert.Equal(layout.X(2), layout.DeadlineX(new DateOnly(2027, 1, 17)), 6);

        Assert.Equal(6, layout.DraggedStart(3, 2.6 * 44)); // 2.6 weeks rounds to 3
        Assert.Equal(3, layout.DraggedStart(3, 21));   // under half a week: no move
        Assert.Equal(2, layout.DraggedStart(3, -22));  // half a week back rounds away from zero
        Assert.Equal(0, layout.DraggedStart(3, -10 * 44)); // never before the planning start
        var quarters = new GanttLayout(w, rows, GanttZoom.Quarters, Start);
        Assert.Equal(8, quarters.DraggedStart(3, 40)); // 5 weeks at 8 px a week
    }
}
