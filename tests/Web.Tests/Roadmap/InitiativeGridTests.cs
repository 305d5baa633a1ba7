using Microsoft.Extensions.DependencyInjection;
using Planner.Interchange;
using Planner.Roadmaps;
using Planner.Web.Components.Pages.Roadmap;

namespace Planner.Web.Tests.Roadmap;

/// <summary>The roadmap grid rendered by bUnit over a real store on a real SQLite file.</summary>
public sealed class InitiativeGridTests : SampleStoreContext
{
    private int changed;

    private IRenderedComponent<InitiativeGrid> RenderGrid() => Render<InitiativeGrid>(ps => ps
        .Add(p => p.Workspace, Workspace)
        .Add(p => p.Changed, () => changed++));

    [Fact]
    public void Every_initiative_is_a_row_with_its_demand_and_dependencies_as_text()
    {
        var grid = RenderGrid();
        var rows = grid.FindAll("tbody tr.rz-data-row");
        Assert.Equal(36, rows.Count);
        var i5 = rows.Single(r => r.QuerySelector("td")!.TextContent.Trim() == "i5");
        Assert.Contains("Bank feed reconciliation", i5.TextContent);
        Assert.Contains("be:2;data:2;fe:1", i5.TextContent);
        Assert.Contains("i1", i5.TextContent);
    }

    [Fact]
    public async Task Adding_a_row_saves_it_to_the_database()
    {
        var grid = RenderGrid();
        grid.Find("#add-initiative").Click();
        grid.Find("#edit-title").Change("Usage-based billing");
        grid.Find("#edit-duration input").Change("5");
        grid.Find("#edit-demand").Change("Backend:2; fe");
        grid.Find("#edit-depends").Change("i1;i5:2");
        grid.Find("#save-row").Click();

        grid.WaitForAssertion(() => Assert.Equal(1, changed));
        var saved = (await Store.LoadAsync())!.FindInitiative("i37");
        Assert.NotNull(saved);
        Assert.Equal("Usage-based billing", saved.Title);
        Assert.Equal(5, saved.DurationWeeks);
        Assert.Equal([new TeamDemand("be", 2), new TeamDemand("fe", 1)], saved.Demand);
        Assert.Equal([new Dependency("i1"), new Dependency("i5", 2)], saved.Dependencies);
        Assert.Empty(grid.FindAll("[data-testid=grid-problems]"));
    }

    [Fact]
    public async Task An_invalid_row_shows_every_problem_and_saves_nothing()
    {
        var before = RoadmapJson.Serialize((await Store.LoadAsync())!);
        var grid = RenderGrid();
        grid.Find("#add-initiative").Click();
        grid.Find("#edit-title").Change("Broken");
        grid.Find("#edit-demand").Change("ops:1");
        grid.Find("#edit-depends").Change("i999");
        grid.Find("#save-row").Click();

        var alert = grid.Find("[data-testid=grid-problems]");
        Assert.Contains("Unknown team 'ops'", alert.TextContent);
        Assert.Contains("Unknown initiative 'i999'", alert.TextContent);
        Assert.Equal(0, changed);
        Assert.Equal(before, RoadmapJson.Serialize((await Store.LoadAsync())!));
    }

    [Fact]
    public async Task A_deadline_past_the_bounds_is_refused_and_saves_nothing()
    {
        var before = RoadmapJson.Serialize((await Store.LoadAsync())!);
        var grid = RenderGrid();
        grid.Find("#add-initiative").Click();
        grid.Find("#edit-title").Change("Forever");
        grid.Find("#edit-deadline").Change("9999-12-31");
        grid.Find("#save-row").Click();

        var alert = grid.Find("[data-testid=grid-problems]");
        Assert.Contains("The deadline must be between 2000-01-01 and 2100-12-31 (got 9999-12-31).", alert.TextContent);
        Assert.Equal(0, changed);
        Assert.Equal(before, RoadmapJson.Serialize((await Store.LoadAsync())!));
    }

    [Fact]
    public async Task Saving_over_someone_elses_edit_is_refused_with_a_conflict_message()
    {
        var grid = RenderGrid();
        // Another tab saves i3 after this grid loaded it.
        var theirs = (await Store.LoadAsync())!.FindInitiative("i3")!;
        theirs.Title = "Their title";
        Assert.True((await Initiatives.UpdateInitiativeAsync(Workspace.Name, theirs)).Ok);

        grid.FindAll("button.edit-row")[2].Click();
        grid.Find("#edit-title").Change("My title");
        grid.Find("#save-row").Click();

        Assert.Contains("someone else", grid.Find("[data-testid=grid-problems]").TextContent);
        Assert.Equal("Their title", (await Store.LoadAsync())!.FindInitiative("i3")!.Title);
    }

    [Fact]
    public async Task A_save_while_the_database_cannot_be_reached_says_so_keeps_the_row_in_edit_and_saves_nothing()
    {
        // A PostgreSQL that refuses the connection (nothing listens on that port): the database gone, as the store meets it.
        Services.AddSingleton(new Persistence.InitiativeStore(Persistence.PlannerDbContextFactory.ForPostgres(
            "Host=127.0.0.1;Port=1;Username=planner;Password=none;Database=planner;Timeout=5;Pooling=false")));
        var before = RoadmapJson.Serialize((await Store.LoadAsync())!);
        var grid = RenderGrid();
        grid.Find("#add-initiative").Click();
        grid.Find("#edit-title").Change("Usage-based billing");
        grid.Find("#save-row").Click();

        // The refused connection reaches the page through the driver's retries: seconds on a busy machine, more than
        // bUnit's default wait.
        grid.WaitForAssertion(() => Assert.Contains("The database cannot be reached right now, so nothing was saved; try again once it is back.",
            grid.Find("[data-testid=grid-problems]").TextContent), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("Please fix", grid.Find("[data-testid=grid-problems]").TextContent);
        Assert.Equal("Usage-based billing", grid.Find("#edit-title").GetAttribute("value"));
        Assert.Equal(0, changed);
        Assert.Equal(before, RoadmapJson.Serialize((await Store.LoadAsync())!));
    }
}
