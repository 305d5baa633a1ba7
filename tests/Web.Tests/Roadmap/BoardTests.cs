using Planner.Roadmaps;
using Planner.Web.Components.Pages.Roadmap;

namespace Planner.Web.Tests.Roadmap;

/// <summary>The boards and the value/effort chart over the sample on a real SQLite file.</summary>
public sealed class BoardTests : SampleStoreContext
{
    private int changed;

    [Fact]
    public async Task Moving_a_card_to_the_next_column_saves_its_status()
    {
        var board = Render<StatusBoard>(ps => ps.Add(p => p.Workspace, Workspace).Add(p => p.Changed, () => changed++));
        Assert.Equal(3, board.FindAll("[data-testid=status-in-progress] .board-card").Count);

        board.Find("[data-testid=status-planned] [data-key=i5] button[aria-label='Move i5 to in-progress']").Click();

        board.WaitForAssertion(() => Assert.Equal(1, changed));
        Assert.Equal(InitiativeStatus.InProgress, (await Store.LoadAsync())!.FindInitiative("i5")!.Status);
    }

    [Fact]
    public async Task Dropping_a_card_from_a_stale_copy_is_refused_and_saves_nothing()
    {
        var board = Render<StatusBoard>(ps => ps.Add(p => p.Workspace, Workspace).Add(p => p.Changed, () => changed++));
        var elsewhere = Workspace.FindInitiative("i5")!.Clone(); // another tab saves i5 first
        elsewhere.Title = "Bank feeds, renamed elsewhere";
        Assert.True((await Initiatives.UpdateInitiativeAsync(Workspace.Name, elsewhere)).Ok);

        board.Find("[data-testid=status-planned] [data-key=i5]").DragStart();
        board.Find("[data-testid=status-done]").Drop();

        board.WaitForAssertion(() => Assert.Contains("was changed by someone else", board.Find("[data-testid=status-board-problems]").TextContent));
        Assert.Equal(0, changed);
        var stored = (await Store.LoadAsync())!.FindInitiative("i5")!;
        Assert.Equal((InitiativeStatus.Planned, "Bank feeds, renamed elsewhere"), (stored.Status, stored.Title));
    }

    [Fact]
    public void The_now_next_later_board_puts_every_planned_initiative_in_one_column()
    {
        var board = Render<NowNextLaterBoard>(ps => ps.Add(p => p.Workspace, Workspace));
        board.WaitForAssertion(() => Assert.NotEmpty(board.FindAll("[data-testid=now-next-later]")), TimeSpan.FromSeconds(30));

        var active = Workspace.Initiatives.Count(i => i.Status is not (InitiativeStatus.Done or InitiativeStatus.Dropped));
        Assert.Equal(active, board.FindAll(".board-card").Count);
        Assert.Contains(board.FindAll("[data-testid=board-now] .board-card"), c => c.GetAttribute("data-key") == "i1"); // in progress at the start
        Assert.NotEmpty(board.FindAll("[data-testid=board-later] .board-card"));
    }

    /// <summary>One backend person; "a" unblocks 30 weeks of frontend work, "b" is the most valuable. Finishing
    /// soonest starts "a" first; valuable work first starts "b" first; either way the other waits 8 weeks, past "now".</summary>
    private static Workspace Contested()
    {
        var w = new Workspace { Name = "contested", PlanningStart = new DateOnly(2090, 1, 2) }; // after today: week 0 is the reference
        w.Teams = [new Team { Key = "be", Name = "Backend", Capacity = 1 }, new Team { Key = "fe", Name = "Frontend", Capacity = 1 }, new Team { Key = "ux", Name = "Design", Capacity = 1 }];
        Initiative Item(string key, int weeks, string team, double reach) => new()
        {
            Key = key, Title = key, DurationWeeks = weeks, Demand = [new TeamDemand(team, 1)], Reach = reach, Impact = 1, Confidence = 1, Effort = 1,
        };
        w.Initiatives = [Item("a", 8, "be", 20), Item("b", 8, "be", 1000), Item("c", 30, "fe", 10), Item("d", 1, "ux", 500)];
        w.Initiatives[2].Dependencies = [new Dependency("a")];
        return w;
    }

    [Theory]
    [InlineData(Planner.Scheduling.ScheduleObjective.Makespan, "a", "b", "finish soonest")]
    [InlineData(Planner.Scheduling.ScheduleObjective.Weighted, "b", "a", "valuable work first")]
    public void The_now_next_later_board_plans_by_the_timelines_objective(Planner.Scheduling.ScheduleObjective objective, string now, string notNow, string said)
    {
        var board = Render<NowNextLaterBoard>(ps => ps.Add(p => p.Workspace, Contested()).Add(p => p.Objective, objective));
        board.WaitForAssertion(() => Assert.NotEmpty(board.FindAll("[data-testid=now-next-later]")), TimeSpan.FromSeconds(30));

        var nowColumn = board.FindAll("[data-testid=board-now] .board-card").Select(c => c.GetAttribute("data-key")).ToList();
        Assert.Contains(now, nowColumn);
        Assert.DoesNotContain(notNow, nowColumn);
        Assert.Equal(said, board.Find("[data-testid=board-objective]").TextContent);
    }

    [Fact]
    public void The_value_effort_chart_lists_each_quadrant_under_its_label()
    {
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>("Radzen.createChart", _ => true).SetResult(new Radzen.Blazor.Rendering.Rect { Width = 800, Height = 420 });
        var chart = Render<ValueEffortChart>(ps => ps.Add(p => p.Workspace, Workspace).Add(p => p.Visible, Workspace.Initiatives.Take(10).Select(i => i.Key).ToHashSet()));

        Assert.Contains("Quick wins — high value, low effort", chart.Find("[data-testid=quadrant-quick-win]").TextContent);
        var listed = chart.FindAll("[data-testid=quadrants] li").Count;
        Assert.Equal(Workspace.Initiatives.Take(10).Count(i => i.Status is not (InitiativeStatus.Done or InitiativeStatus.Dropped)), listed);
        Assert.Contains("Quick wins", chart.Find("[data-testid=value-effort-chart]").TextContent); // the legend names the quadrants
    }
}
