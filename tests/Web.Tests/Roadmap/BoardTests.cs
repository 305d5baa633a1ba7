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
