using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

public sealed class ScenarioChatJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_what_if_in_chat_yields_the_planners_scenario_card_even_with_the_tiny_random_model_active()
    {
        var models = Built.NewTempDirectory("models");
        TinyModel.Write(Path.Combine(models, "tiny-1024.gguf"), "tiny-e2e", context: 1024, seed: 12);
        await using var app = await AppServer.StartAsync(environment: new Dictionary<string, string> { ["Planner__ModelsDirectory"] = models });
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 1100 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(app.BaseUrl + "/chat");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.FillAsync("#chat-question", "What happens if the backend team loses two people from week 12?");
        await page.ClickAsync("#chat-send");
        var card = page.GetByTestId("scenario-card").Last;
        await Expect(card).ToContainTextAsync("Scenario: capacity be -2 from week 12", new() { Timeout = 90_000 });
        await Expect(card).ToContainTextAsync("With be −2 people from 2027-03-29");
        await Expect(card.GetByTestId("scenario-weeks")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^week \d+$"));
        await Expect(card).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"Change: [+-]?\d+ wk"));
        await Screenshots.SaveAsync(page, "chat-scenario.png");
        Assert.Empty(errors);
    }
}
