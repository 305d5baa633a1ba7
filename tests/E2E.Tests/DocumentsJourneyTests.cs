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
        await page.ScreenshotAsync(new() { Path = Path.Combine(Built.ArtifactsDirectory, "documents.png"), FullPage = true });

        await page.GetByTestId("documents").Locator("tr", new() { HasText = "board-update.md" }).GetByTitle("Delete").ClickAsync();
        await Expect(page.GetByTestId("documents").Locator("tbody tr")).ToHaveCountAsync(6);
    }
}
