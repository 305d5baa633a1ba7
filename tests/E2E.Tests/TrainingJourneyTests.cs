using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

public sealed class TrainingJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_founder_trains_a_tiny_model_watches_it_learn_exports_it_and_it_becomes_the_model()
    {
        await using var app = await AppServer.StartAsync();
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(app.BaseUrl + "/training");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.SelectOptionAsync("#train-data", "sample");
        await page.FillAsync("#train-steps", "6");
        await page.FillAsync("#train-batch", "1");
        await page.ClickAsync("#train-start");

        var run = page.GetByTestId("training-run").First;
        await Expect(run.GetByTestId("run-status")).ToHaveTextAsync("completed", new() { Timeout = 180_000 });
        await Expect(run.GetByTestId("run-progress")).ToContainTextAsync("100");
        await Expect(run.GetByTestId("run-numbers")).ToContainTextAsync("step 6/6");
        await Expect(run.GetByTestId("loss-chart").Locator("path").First).ToBeAttachedAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Built.ArtifactsDirectory, "training.png"), FullPage = true });

        await page.ClickAsync("#export-use");
        await Expect(run.GetByTestId("run-exported")).ToContainTextAsync("chosen as the active model");

        await page.GotoAsync(app.BaseUrl + "/models");
        await Expect(page.GetByTestId("models")).ToContainTextAsync("-q8_0.gguf");
        await Expect(page.GetByTestId("models")).ToContainTextAsync("ready");
        await page.GotoAsync(app.BaseUrl + "/documents");
        await Expect(page.GetByTestId("ask")).ToContainTextAsync("-q8_0.gguf");
        Assert.Empty(errors);
    }
}
