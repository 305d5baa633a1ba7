using Microsoft.Extensions.DependencyInjection;
using Planner.Interchange;
using Planner.Roadmaps;
using Planner.Web.Components.Pages.Roadmap;

namespace Planner.Web.Tests.Roadmap;

/// <summary>The initiative detail panel rendered by bUnit over a real store on a real SQLite file.</summary>
public sealed class InitiativePanelTests : SampleStoreContext
{
    private int saved;
    private int closed;

    private IRenderedComponent<InitiativePanel> RenderPanel(string key) => Render<InitiativePanel>(ps => ps
        .Add(p => p.Workspace, Workspace)
        .Add(p => p.InitiativeKey, key)
        .Add(p => p.Changed, () => saved++)
        .Add(p => p.Closed, () => closed++));

    [Fact]
    public void Opening_and_saving_unchanged_gives_back_every_initiative_exactly()
    {
        foreach (var item in Workspace.Initiatives)
        {
            var back = InitiativeForm.From(item, Workspace).ToInitiative(Workspace);
            var copy = Workspace.Clone();
            copy.FindInitiative(item.Key)!.CopyEditableFrom(back);
            Assert.Equal(RoadmapJson.Serialize(Workspace), RoadmapJson.Serialize(copy));
        }
    }

    [Fact]
    public async Task Tags_are_added_from_the_box_once_whatever_their_case_removed_by_their_button_and_saved()
    {
        var panel = RenderPanel("i5");
        panel.Find("#panel-tag-new").Change(" Banking ,banking, Q2 launch"); // the browser fires change before the submit
        panel.Find("#panel-tag-form").Submit();
        Assert.Equal(["Banking", "Q2 launch"], panel.FindAll("[data-testid=panel-tag]").Select(t => t.TextContent.Replace("✕", "").Trim()));
        Assert.Equal("", panel.Find("#panel-tag-new").GetAttribute("value"));

        panel.Find("#panel-tag-new").Change("BANKING");
        panel.Find("#panel-tag-form").Submit();
        panel.Find("button[aria-label='Remove tag Q2 launch']").Click();
        Assert.Single(panel.FindAll("[data-testid=panel-tag]"));
        Assert.Equal(0, saved); // adding tags does not save the initiative

        panel.Find("form").Submit();
        panel.WaitForAssertion(() => Assert.Equal(1, saved));
        Assert.Equal(["Banking"], (await Store.LoadAsync())!.FindInitiative("i5")!.Tags);
    }

    [Fact]
    public async Task The_saved_confirmation_goes_up_after_the_roadmap_reloaded_and_before_the_panel_closes()
    {
        // A toast lasts a few seconds: raised before a slow reload, it could be gone by the time the panel closes.
        var notifications = Services.GetRequiredService<Radzen.NotificationService>();
        var (atReload, atClose) = (-1, -1);
        var panel = Render<InitiativePanel>(ps => ps
            .Add(p => p.Workspace, Workspace)
            .Add(p => p.InitiativeKey, "i5")
            .Add(p => p.Changed, () => atReload = notifications.Messages.Count)
            .Add(p => p.Closed, () => atClose = notifications.Messages.Count));
        panel.Find("#panel-title").Change("Bank feeds, reloaded first");
        panel.Find("form").Submit();
        panel.WaitForAssertion(() => Assert.Equal(1, atClose));
        Assert.Equal(0, atReload);
        Assert.Equal("Saved", notifications.Messages.Single().Summary);
        Assert.Equal("Bank feeds, reloaded first", (await Store.LoadAsync())!.FindInitiative("i5")!.Title);
    }

    [Fact]
    public async Task A_save_whose_reload_fails_still_says_it_is_saved()
    {
        var notifications = Services.GetRequiredService<Radzen.NotificationService>();
        Action failingReload = () => throw new InvalidOperationException("the reload failed");
        var panel = Render<InitiativePanel>(ps => ps
            .Add(p => p.Workspace, Workspace)
            .Add(p => p.InitiativeKey, "i5")
            .Add(p => p.Changed, failingReload));
        panel.Find("#panel-title").Change("Saved before the reload failed");
        await Assert.ThrowsAsync<InvalidOperationException>(() => panel.Find("form").SubmitAsync());
        Assert.Equal("Saved", notifications.Messages.Single().Summary);
        Assert.Equal("Saved before the reload failed", (await Store.LoadAsync())!.FindInitiative("i5")!.Title);
    }

    [Fact]
    public void Demand_is_one_number_per_team_and_dependencies_and_objectives_are_chosen_not_typed()
    {
        var panel = RenderPanel("i5");
        Assert.Equal(Workspace.Teams.Count, panel.FindAll("[data-testid=panel-demand] input").Count);
        Assert.Equal("2", panel.Find("#panel-demand-be").GetAttribute("value"));
        Assert.Equal("2", panel.Find("#panel-demand-data").GetAttribute("value"));
        Assert.Equal("1", panel.Find("#panel-demand-fe").GetAttribute("value"));
        Assert.Null(panel.Find("#panel-demand-mob").GetAttribute("value"));
        Assert.Equal("i1", panel.Find("#panel-dep-0").GetAttribute("value"));
        Assert.DoesNotContain(panel.FindAll("#panel-dep-0 option"), o => o.GetAttribute("value") == "i5"); // not itself
        Assert.True(panel.Find("#panel-objective-o1").HasAttribute("checked"));
        Assert.False(panel.Find("#panel-objective-o3").HasAttribute("checked"));
        Assert.All(panel.FindAll("input, select, textarea").Where(e => e.Id is { Length: > 0 }),
            control => Assert.NotNull(panel.Find($"label[for='{control.Id}']")));
    }

    [Fact]
    public async Task A_value_the_roadmap_refuses_is_shown_under_its_field_and_nothing_is_saved()
    {
        var before = RoadmapJson.Serialize((await Store.LoadAsync())!);
        var panel = RenderPanel("i5");
        panel.Find("#panel-demand-be").Change("-1");
        Assert.Contains("Demand on 'be' cannot be negative (got -1).", panel.Find("[data-testid=panel-invalid-demand]").TextContent);

        panel.Find("form").Submit();

        Assert.Contains("Not saved", panel.Find("[data-testid=panel-problems]").TextContent);
        Assert.Equal(0, saved);
        Assert.Equal(before, RoadmapJson.Serialize((await Store.LoadAsync())!));
    }

    [Fact]
    public async Task A_save_over_a_copy_someone_else_changed_meanwhile_is_refused_and_keeps_the_edit()
    {
        var panel = RenderPanel("i7");
        var other = Workspace.FindInitiative("i7")!.Clone();
        other.Title = "Saved in another tab";
        Assert.True((await Initiatives.UpdateInitiativeAsync(Workspace.Name, other)).Ok);

        panel.Find("#panel-title").Change("Saved in this panel");
        panel.Find("form").Submit();

        panel.WaitForAssertion(() => Assert.Contains("was changed by someone else", panel.Find("[data-testid=panel-problems]").TextContent));
        Assert.Equal("Saved in this panel", panel.Find("#panel-title").GetAttribute("value"));
        Assert.Equal("Saved in another tab", (await Store.LoadAsync())!.FindInitiative("i7")!.Title);
        Assert.Equal(0, saved);
    }

    [Fact]
    public async Task Saving_writes_the_picked_demand_dependencies_and_objectives_and_closes_the_panel()
    {
        var panel = RenderPanel("i5");
        panel.Find("#panel-demand-data").Change("");
        panel.Find("#panel-demand-design").Change("1");
        panel.Find("#panel-add-dependency").Click();
        panel.Find("#panel-dep-1").Change("i2");
        panel.Find("#panel-lag-1").Change("3");
        panel.Find("#panel-objective-o3").Change(true);
        panel.Find("#panel-hard").Change(true);
        panel.Find("form").Submit();

        panel.WaitForAssertion(() => Assert.Equal(1, closed));
        var item = (await Store.LoadAsync())!.FindInitiative("i5")!;
        Assert.Equal([new TeamDemand("be", 2), new TeamDemand("fe", 1), new TeamDemand("design", 1)], item.Demand);
        Assert.Equal([new Dependency("i1"), new Dependency("i2", 3)], item.Dependencies);
        Assert.Equal(["o1", "o2", "o3"], item.ObjectiveKeys);
        Assert.True(item.DeadlineIsHard);
        Assert.Equal(1, saved);
    }

    [Fact]
    public void An_initiative_that_is_not_in_the_workspace_says_so()
    {
        var panel = RenderPanel("i999");
        Assert.Contains("There is no initiative 'i999'", panel.Find("[data-testid=panel-missing]").TextContent);
    }
}
