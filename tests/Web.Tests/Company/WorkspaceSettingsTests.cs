using Microsoft.Extensions.DependencyInjection;
using Planner.Web.Components.Pages.Company;
using Planner.Web.Services;

namespace Planner.Web.Tests.Company;

public sealed class WorkspaceSettingsTests : SampleStoreContext
{

    public WorkspaceSettingsTests()
    {
        Services.AddScoped<CurrentWorkspace>();
    }

    [Fact]
    public async Task Company_teams_and_capacity_changes_are_saved()
    {
        var page = Render<WorkspaceSettings>();
        page.WaitForElement("#ws-company");
        page.Find("#ws-company").Change("Ledgerloom GmbH");
        var teamRow = page.FindAll("[data-testid=teams] tbody tr")[0];
        teamRow.QuerySelectorAll("input")[3].Change("2027-05-03:6");
        page.Find("#save-workspace").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=workspace-problems]")));
        var saved = (await Store.LoadAsync())!;
        Assert.Equal("Ledgerloom GmbH", saved.CompanyName);
        Assert.Equal(6, saved.FindTeam("be")!.CapacityOn(new DateOnly(2027, 6, 1)));
    }

    [Fact]
    public async Task Removing_a_team_that_initiatives_need_is_refused_with_the_reason()
    {
        var page = Render<WorkspaceSettings>();
        page.WaitForElement("[data-testid=teams]");
        page.FindAll("[data-testid=teams] tbody tr")[0].QuerySelector("button[title='Remove team']")!.Click();
        page.Find("#save-workspace").Click();
        page.WaitForElement("[data-testid=workspace-problems]");
        Assert.Contains("Unknown team 'be'", page.Find("[data-testid=workspace-problems]").TextContent);
        Assert.NotNull((await Store.LoadAsync())!.FindTeam("be"));
    }

    [Fact]
    public void A_malformed_capacity_change_is_explained()
    {
        var page = Render<WorkspaceSettings>();
        page.WaitForElement("[data-testid=teams]");
        page.FindAll("[data-testid=teams] tbody tr")[1].QuerySelectorAll("input")[3].Change("next spring: 5");
        page.Find("#save-workspace").Click();
        Assert.Contains("is not 'yyyy-mm-dd:people'", page.Find("[data-testid=workspace-problems]").TextContent);
    }

    [Fact]
    public async Task A_key_result_gets_numbers_its_objective_shows_the_progress_and_both_are_saved()
    {
        var page = Render<WorkspaceSettings>();
        page.WaitForElement("[data-testid=key-results]");
        var objective = page.FindAll("[data-testid=objective]")[1];   // o2: ARR from 410 to 1200 $k, not moved yet
        var arr = objective.QuerySelectorAll("[data-testid=key-results] tbody tr")[0];
        Assert.Equal("ARR by December 2027", arr.QuerySelector("input[aria-label='Key result']")!.GetAttribute("value"));
        arr.QuerySelector("input[aria-label='Current value']")!.Change("805");

        page.WaitForAssertion(() => Assert.Contains("key results 50%", page.FindAll("[data-testid=objective-progress]")[1].TextContent));
        page.Find("#save-workspace").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=workspace-problems]")));
        var saved = (await Store.LoadAsync())!.Objectives.Single(o => o.Key == "o2").KeyResults[0];
        Assert.Equal(new Planner.Roadmaps.KeyResult("ARR by December 2027", "$k", 410, 805, 1200), saved);
    }

    [Fact]
    public async Task A_key_result_with_a_target_but_no_start_is_explained_and_not_saved()
    {
        var page = Render<WorkspaceSettings>();
        page.WaitForElement("[data-testid=key-results]");
        var objective = page.FindAll("[data-testid=objective]")[2];
        var row = objective.QuerySelectorAll("[data-testid=key-results] tbody tr")[1];   // "12 new firms with 15+ seats signed", text only
        row.QuerySelector("input[aria-label='Target value']")!.Change("12");
        page.Find("#save-workspace").Click();
        page.WaitForElement("[data-testid=workspace-problems]");
        Assert.Contains("needs both a start and a target", page.Find("[data-testid=workspace-problems]").TextContent);
        Assert.False((await Store.LoadAsync())!.Objectives.Single(o => o.Key == "o3").KeyResults[1].IsMeasured);
    }
}
