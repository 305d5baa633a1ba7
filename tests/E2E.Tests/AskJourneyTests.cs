using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

public sealed class AskJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_founder_asks_the_documents_and_gets_a_streamed_answer_with_citations()
    {
        var models = Built.NewTempDirectory("models");
        TinyModel.Write(Path.Combine(models, "tiny.gguf"), "tiny-e2e", context: 256, seed: 11);
        await using var app = await AppServer.StartAsync(environment: new Dictionary<string, string> { ["Planner__ModelsDirectory"] = models });
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 1000 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(app.BaseUrl + "/models");
        await Expect(page.GetByTestId("models")).ToContainTextAsync("tiny.gguf");
        await Expect(page.GetByTestId("models")).ToContainTextAsync("ready");

        await page.GotoAsync(app.BaseUrl + "/documents");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.FillAsync("#ask-question", "What happened with the QuickBooks sync incidents?");
        await page.ClickAsync("#ask-go");
        await Expect(page.GetByTestId("ask-citations")).ToContainTextAsync("q4-2026-retro.md", new() { Timeout = 30_000 });
        await Expect(page.Locator("#ask-go")).ToBeVisibleAsync(new() { Timeout = 60_000 }); // the answer has finished
        Assert.False(string.IsNullOrWhiteSpace(await page.GetByTestId("ask-answer").TextContentAsync()));
        await Screenshots.SaveAsync(page, "ask.png", fullPage: false);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Without_a_model_the_page_shows_the_way_forward()
    {
        await using var app = await AppServer.StartAsync();
        var page = await browser.Browser.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/documents");
        await Expect(page.GetByTestId("ask-no-model")).ToContainTextAsync("Get one on the Models page");
        await page.GotoAsync(app.BaseUrl + "/models");
        await Expect(page.GetByTestId("no-models")).ToContainTextAsync("planner export-model");
    }
}
