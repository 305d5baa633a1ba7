using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

/// <summary>The chat model in the evidence loop, in the browser with a real local GGUF (a random-weight model our Engine
/// writes): it suggests labels for reviews nobody labelled yet on the Label page, and names the themes found in them on
/// the Roadmap's Evidence tab. The model's words are arbitrary; what is checked is that each suggestion is one of the
/// founder's labels with a confidence, each name is a short title beside the terms' name, and nothing breaks.</summary>
public sealed class ChatModelEvidenceJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_chat_model_suggests_labels_on_the_label_page_and_names_review_themes()
    {
        var models = Built.NewTempDirectory("models");
        TinyModel.Write(Path.Combine(models, "tiny-1024.gguf"), "tiny-e2e", context: 1024, seed: 13);
        await using var app = await AppServer.StartAsync(environment: new Dictionary<string, string> { ["Planner__ModelsDirectory"] = models });
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(app.BaseUrl + "/label");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.FillAsync("#label-column", "urgency");
        await page.FillAsync("#label-set", "high, low");
        await page.ClickAsync("#label-start");
        await Expect(page.GetByTestId("label-progress")).ToHaveTextAsync("0 labelled, 212 to go.");
        await page.ClickAsync("#label-ask-model");
        await Expect(page.GetByTestId("label-notice")).ToHaveTextAsync("tiny-1024.gguf suggested labels for 25 reviews.", new() { Timeout = 120_000 });
        await Expect(page.GetByTestId("label-suggestion")).ToHaveTextAsync(
            new System.Text.RegularExpressions.Regex(@"^\s*Suggestion: (high|low)\s+\(confidence \d+%, from the chat model tiny-1024\.gguf\)\s*$"));
        // The model's labels are suggestions: nothing counts as labelled until the founder says so.
        await Expect(page.GetByTestId("label-progress")).ToHaveTextAsync("0 labelled, 212 to go.");

        await page.GotoAsync(app.BaseUrl + "/roadmap?view=evidence");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.SelectOptionAsync("#themes-count", "3");
        await page.ClickAsync("#find-themes");
        await Expect(page.GetByTestId("theme")).ToHaveCountAsync(3, new() { Timeout = 60_000 });
        var byTerms = await page.GetByTestId("theme-name").AllTextContentsAsync();
        await page.GetByTestId("themes-name-with-model").ClickAsync();
        await Expect(page.GetByTestId("theme-named-by")).ToHaveCountAsync(3, new() { Timeout = 120_000 });
        for (var i = 0; i < 3; i++)
        {
            await Expect(page.GetByTestId("theme-named-by").Nth(i)).ToHaveTextAsync($"Named by tiny-1024.gguf from its terms and reviews; by its terms: {byTerms[i]}");
            var name = (await page.GetByTestId("theme-name").Nth(i).TextContentAsync())!;
            Assert.Matches(@"^[A-Za-z][A-Za-z0-9'&/+-]{0,14}( [A-Za-z][A-Za-z0-9'&/+-]{0,14}){0,4}$", name);
        }
        await Screenshots.SaveAsync(page, "themes-named.png");
        Assert.Empty(errors);
    }
}
