using Planner.Roadmaps;
using Planner.Web.Components.Pages.Roadmap;

namespace Planner.Web.Tests.Roadmap;

/// <summary>The filter bar's saved views over a real SQLite file.</summary>
public sealed class RoadmapFilterBarTests : SampleStoreContext
{
    private readonly List<RoadmapFilter> applied = [];

    private IRenderedComponent<RoadmapFilterBar> RenderBar() =>
        Render<RoadmapFilterBar>(ps => ps.Add(p => p.Workspace, Workspace).Add(p => p.Changed, (RoadmapFilter f) => applied.Add(f)));

    [Fact]
    public async Task A_saved_view_on_a_deleted_team_says_so_and_filters_on_the_rest()
    {
        Assert.Null(await Views.SaveAsync(Workspace.Name, "Old mobile work", new RoadmapFilter { Teams = ["mob", "ios"], Statuses = [InitiativeStatus.Planned] }));
        var bar = RenderBar();

        bar.Find("[data-testid=saved-view]").Change("Old mobile work");

        Assert.Contains("team 'ios' no longer exists", bar.Find("[data-testid=filter-notice]").TextContent);
        var filter = Assert.Single(applied);
        Assert.Equal(["mob"], filter.Teams);
        Assert.Equal([InitiativeStatus.Planned], filter.Statuses);
    }

    [Fact]
    public async Task Saving_the_current_filter_as_a_view_lists_it_and_delete_removes_it()
    {
        Assert.Null(await Views.SaveAsync(Workspace.Name, "Musts", new RoadmapFilter { Categories = [MoSCoW.Must] }));
        var bar = RenderBar();
        bar.Find("[data-testid=saved-view]").Change("Musts");
        bar.Find("[data-testid=view-name]").Change("Musts again");
        bar.Find("[data-testid=view-save] ").Click();

        bar.WaitForAssertion(() => Assert.Equal(3, bar.FindAll("[data-testid=saved-view] option").Count));
        Assert.Equal([MoSCoW.Must], (await Views.ListAsync(Workspace.Name)).Single(v => v.Name == "Musts again").Filter!.Categories);

        bar.Find("[data-testid=view-delete]").Click();
        bar.WaitForAssertion(() => Assert.Equal(["Musts"], bar.FindAll("[data-testid=saved-view] option").Skip(1).Select(o => o.TextContent)));
    }

    [Fact]
    public async Task A_saved_view_on_a_tag_no_initiative_carries_any_more_says_so_and_filters_on_the_rest()
    {
        Workspace.Initiatives[0].Tags = ["Mobile"];
        Assert.Null(await Views.SaveAsync(Workspace.Name, "Tagged", new RoadmapFilter { Tags = ["mobile", "retired"] }));
        var bar = RenderBar();

        bar.Find("[data-testid=saved-view]").Change("Tagged");

        Assert.Contains("no initiative is tagged 'retired' any more", bar.Find("[data-testid=filter-notice]").TextContent);
        var filter = Assert.Single(applied);
        Assert.Equal(["mobile"], filter.Tags);
        Assert.Equal([Workspace.Initiatives[0].Key], filter.Apply(Workspace));
    }
}
