using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Planner.Roadmaps;
using Planner.Scenarios;
using Planner.Scheduling;
using Planner.Web.Components.Pages.Roadmap;

namespace Planner.Web.Tests.Roadmap;

/// <summary>The Gantt rendered by bUnit: arrows, critical chain, filter, and the drag, keyboard and click gestures.</summary>
public sealed class TimelineChartTests : SampleStoreContext
{
    private readonly List<LockStart> moves = [];

    /// <summary>i1 → i5 in the sample, scheduled by hand: i1 weeks 0–4, i5 weeks 4–9, i2 weeks 0–3.</summary>
    private IRenderedComponent<TimelineChart> RenderChart(IReadOnlySet<string>? visible = null) => Render<TimelineChart>(ps => ps
        .Add(p => p.Workspace, Workspace)
        .Add(p => p.Schedule, new Schedule([new("i1", 0, 4), new("i5", 4, 9), new("i2", 0, 3)], []))
        .Add(p => p.Critical, new HashSet<string> { "i1", "i5" })
        .Add(p => p.Visible, visible)
        .Add(p => p.Today, Workspace.PlanningStart.AddDays(14))
        .Add(p => p.Moved, (LockStart m) => moves.Add(m)));

    [Fact]
    public void Dependencies_are_arrows_and_the_critical_chain_is_highlighted()
    {
        Assert.Contains(new Dependency("i1"), Workspace.FindInitiative("i5")!.Dependencies);
        var chart = RenderChart();

        var arrow = chart.Find("path.gantt-arrow[data-from=i1][data-to=i5]");
        Assert.Contains("critical", arrow.ClassList);
        Assert.Equal("M 176 14 H 182 V 28 H 170 V 42 H 176", arrow.GetAttribute("d")); // doubles back: i5 starts as i1 ends
        Assert.Contains("critical", chart.Find("[data-key=i1]").ClassList);
        Assert.DoesNotContain("critical", chart.Find("[data-key=i2]").ClassList);
        Assert.Equal("88", chart.Find("[data-testid=gantt-today]").GetAttribute("x1"));
    }

    [Fact]
    public void A_filter_hides_rows_and_their_arrows()
    {
        var chart = RenderChart(new HashSet<string> { "i5", "i2" });
        Assert.Equal(2, chart.FindAll("[data-testid=timeline-row]").Count);
        Assert.Empty(chart.FindAll("path.gantt-arrow"));
    }

    [Fact]
    public void Zooming_out_changes_the_header_to_months_and_quarters()
    {
        var chart = RenderChart();
        Assert.Equal("Jan 4", chart.FindAll("[data-testid=gantt-tick]")[0].TextContent);
        chart.FindAll("[data-testid=gantt-zoom] .rz-button")[1].Click();
        Assert.Equal("Jan 2027", chart.FindAll("[data-testid=gantt-tick]")[0].TextContent);
        chart.FindAll("[data-testid=gantt-zoom] .rz-button")[2].Click();
        Assert.Equal("2027 Q1", chart.FindAll("[data-testid=gantt-tick]")[0].TextContent);
    }

    [Fact]
    public void Dragging_a_bar_two_weeks_right_proposes_a_start_two_weeks_later()
    {
        var chart = RenderChart();
        chart.Find("[data-key=i5]").PointerDown(new PointerEventArgs { ClientX = 500, Button = 0 });
        chart.Find(".timeline-drag").PointerMove(new PointerEventArgs { ClientX = 590 });
        Assert.Contains("week 6", chart.Find(".timeline-ghost").TextContent);
        chart.Find("[data-testid=gantt]").PointerUp(new PointerEventArgs { ClientX = 590 });

        Assert.Equal([new LockStart("i5", 6)], moves);
        Assert.Empty(chart.FindAll(".timeline-drag"));
    }

    [Fact]
    public void Arrow_keys_move_a_focused_bar_a_week_and_enter_opens_it()
    {
        var chart = RenderChart();
        chart.Find("[data-key=i5]").KeyDown(new KeyboardEventArgs { Key = "ArrowLeft" });
        Assert.Equal([new LockStart("i5", 3)], moves);

        chart.Find("[data-key=i2]").KeyDown(new KeyboardEventArgs { Key = "Enter" });
        Assert.EndsWith("/roadmap?initiative=i2", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void A_click_without_a_drag_opens_the_initiative()
    {
        var chart = RenderChart();
        var bar = chart.Find("[data-key=i1]");
        bar.PointerDown(new PointerEventArgs { ClientX = 100, Button = 0 });
        chart.Find("[data-testid=gantt]").PointerUp(new PointerEventArgs { ClientX = 101 });
        chart.Find("[data-key=i1]").Click();

        Assert.Empty(moves);
        Assert.EndsWith("/roadmap?initiative=i1", Services.GetRequiredService<NavigationManager>().Uri);
    }
}
