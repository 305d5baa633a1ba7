using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

public sealed class DocumentsJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_founder_uploads_a_document_finds_it_with_a_citation_and_deletes_it()
    {
        await using var app = await AppServer.StartAsync();
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 1000 } });
        await page.GotoAsync(app.BaseUrl + "/documents");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("documents").Locator("tbody tr")).ToHaveCountAsync(6); // the sample's 5 notes and its reviews

        var notes = Path.Combine(Built.NewTempDirectory("upload"), "board-update.md");
        await File.WriteAllTextAsync(notes, "# Board update\n\nWe agreed to pilot usage-based billing with three accounting firms in March.\n");
        await page.SetInputFilesAsync("#upload-documents", notes);
        await Expect(page.GetByTestId("upload-messages")).ToContainTextAsync("board-update.md: added, 1 passage.");
        var copy = Path.Combine(Path.GetDirectoryName(notes)!, "board-update-copy.md");
        File.Copy(notes, copy);
        await page.SetInputFilesAsync("#upload-documents", copy);
        await Expect(page.GetByTestId("upload-messages")).ToContainTextAsync("board-update-copy.md is already in the library as 'board-update.md'.");

        await page.FillAsync("#document-search", "usage-based billing pilot");
        await page.ClickAsync("#document-search-go");
        await Expect(page.GetByTestId("search-hits").Locator(".card").First).ToContainTextAsync("board-update.md, lines 1–3");

        // Select words of the passage, and link them to an initiative as evidence.
        var hit = page.GetByTestId("search-hits").Locator(".card").First;
        await hit.Locator(".passage").EvaluateAsync("""
            element => {
            const text = element.firstChild, start = text.data.indexOf('pilot usage-based billing');
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, start + 'pilot usage-based billing'.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            }
            """);
        await hit.GetByTestId("link-passage").ClickAsync();
        await Expect(hit.GetByTestId("link-passage-text")).ToHaveValueAsync("pilot usage-based billing");
        await hit.GetByTestId("link-passage-initiative").SelectOptionAsync("i5");
        await hit.GetByTestId("link-passage-submit").ClickAsync();
        await Expect(hit.GetByTestId("link-passage-done")).ToContainTextAsync("Linked to i5 ");
        await Screenshots.SaveAsync(page, "documents.png");
        // It is i5's evidence now, linked by hand.
        await page.GotoAsync(app.BaseUrl + "/roadmap");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        var row = page.Locator("tbody tr.rz-data-row").Filter(new() { Has = page.Locator("td", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^i5$") }) });
        await row.GetByTestId("evidence-badge").ClickAsync();
        await Expect(page.GetByTestId("evidence-detail")).ToContainTextAsync("1 linked by hand");
        await Expect(page.GetByTestId("evidence-detail")).ToContainTextAsync("pilot usage-based billing");
        await page.GotoAsync(app.BaseUrl + "/documents");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });

        await page.GetByTestId("documents").Locator("tr", new() { HasText = "board-update.md" }).GetByTitle("Delete").ClickAsync();
        await Expect(page.GetByTestId("documents").Locator("tbody tr")).ToHaveCountAsync(6);
    }
}
