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
}
