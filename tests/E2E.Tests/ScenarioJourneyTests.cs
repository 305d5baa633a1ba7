using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

public sealed class ScenarioJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_founder_composes_a_capacity_cut_sees_the_diff_and_applies_it()
    {
        await using var app = await AppServer.StartAsync();
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 1100 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(app.BaseUrl + "/?view=scenarios");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.SelectOptionAsync("#change-kind", "capacity");
        await page.SelectOptionAsync("#change-team", "be");
        await page.FillAsync("#change-delta", "-2");
        await page.FillAsync("#change-from", "2027-03-29");
        await page.ClickAsync("#add-change");
        await Expect(page.GetByTestId("scenario-changes")).ToContainTextAsync("be −2 people from 2027-03-29");

        await page.ClickAsync("#run-scenario");
        await Expect(page.GetByTestId("scenario-summary")).ToContainTextAsync("With be −2 people from 2027-03-29: everything finishes", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("scenario-diff").Locator("tbody tr").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "scenario-diff.png");

        await page.ClickAsync("#apply-scenario");
        await Expect(page.GetByTestId("apply-message")).ToContainTextAsync("kept as version 'Before scenario: be −2 people from 2027-03-29'");

        // The saved roadmap now has the cut: Backend has 2 people from that date.
        using var http = new HttpClient();
        var saved = await http.GetStringAsync(app.BaseUrl + "/export/json");
        Assert.Contains("\"id\": \"be\",\n      \"name\": \"Backend\",\n      \"capacity\": 4,\n      \"capacityChanges\": [\n        {\n          \"from\": \"2027-03-29\",\n          \"capacity\": 2", saved);
        Assert.Empty(errors);
    }
}
