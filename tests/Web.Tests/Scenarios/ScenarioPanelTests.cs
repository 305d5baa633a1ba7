using Microsoft.Extensions.DependencyInjection;
using Planner.Roadmaps;
using Planner.Web.Components.Pages.Scenarios;

namespace Planner.Web.Tests.Scenarios;

/// <summary>The scenario panel over a real store on a real SQLite file, with the real scheduler.</summary>
public sealed class ScenarioPanelTests : SampleStoreContext
{
    private int applied;

    private IRenderedComponent<ScenarioPanel> RenderPanel() =>
        Render<ScenarioPanel>(ps => ps.Add(p => p.Workspace, Workspace).Add(p => p.Applied, () => applied++));

    [Fact]
    public async Task A_capacity_cut_shows_baseline_against_scenario_and_is_saved_only_on_apply()
    {
        var panel = RenderPanel();
        panel.Find("#change-team").Change("be");
        panel.Find("#change-delta").Change("-2");
        panel.Find("#change-from").Change("2027-03-29");
        panel.Find("#add-change").Click();
        Assert.Contains("be −2 people from 2027-03-29", panel.Find("[data-testid=scenario-changes]").TextContent);

        panel.Find("#run-scenario").Click();
        panel.WaitForElement("[data-testid=scenario-diff]", TimeSpan.FromSeconds(60));
        Assert.Contains("With be −2 people from 2027-03-29: everything finishes", panel.Find("[data-testid=scenario-summary]").TextContent);
        Assert.Contains("Baseline", panel.Find("[data-testid=baseline-card]").TextContent);
        Assert.NotEmpty(panel.FindAll("[data-testid=scenario-diff] tbody tr"));
        Assert.NotEmpty(panel.FindAll(".diff-bar"));
        Assert.Empty(await Versions.VersionsAsync(Workspace.Name)); // nothing saved yet

        panel.Find("#apply-scenario").Click();
        panel.WaitForAssertion(() => Assert.Equal(1, applied), TimeSpan.FromSeconds(10));
        var saved = (await Store.LoadAsync())!;
        Assert.Equal(2, saved.FindTeam("be")!.CapacityOn(new DateOnly(2027, 6, 1)));
        var version = Assert.Single(await Versions.VersionsAsync(Workspace.Name));
        Assert.StartsWith("Before scenario: be −2 people", version.Name);
        Assert.Contains("kept as version", panel.Find("[data-testid=apply-message]").TextContent);
    }

    [Fact]
    public void A_change_that_changes_nothing_is_refused_with_a_message()
    {
        var panel = RenderPanel();
        panel.Find("#change-delta").Change("0");
        panel.Find("#add-change").Click();
        Assert.Contains("changes nothing", panel.Find("[data-testid=scenario-error]").TextContent);
        Assert.Empty(panel.FindAll("#run-scenario"));
    }

    [Fact]
    public void A_delay_past_ten_years_or_a_date_past_2100_is_refused_with_a_message()
    {
        var panel = RenderPanel();
        panel.Find("#change-from").Change("9999-12-31");
        panel.Find("#add-change").Click();
        Assert.Equal("The date must be between 2000-01-01 and 2100-12-31 (got 9999-12-31).", panel.Find("[data-testid=scenario-error]").TextContent);

        panel.Find("#change-kind").Change("delay");
        panel.Find("#change-weeks").Change("600000");
        panel.Find("#add-change").Click();
        Assert.Equal("A delay must be from 0 to 520 weeks (got 600000).", panel.Find("[data-testid=scenario-error]").TextContent);
        Assert.Empty(panel.FindAll("#run-scenario"));
    }
}
