using UglyToad.PdfPig;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

public sealed class ShareJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_founder_downloads_the_one_page_roadmap_as_pdf_and_html_from_the_roadmap_page()
    {
        await using var app = await AppServer.StartAsync();
        var context = await browser.Browser.NewContextAsync(new() { AcceptDownloads = true, ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUrl);
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });

        var pdf = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("share-pdf").ClickAsync());
        Assert.Equal("Ledgerloom-roadmap.pdf", pdf.SuggestedFilename);
        using (var document = PdfDocument.Open(await File.ReadAllBytesAsync((await pdf.PathAsync())!)))
        {
            Assert.Equal(1, document.NumberOfPages);
            var text = string.Join(" ", document.GetPage(1).GetWords().Select(w => w.Text));
            Assert.Contains("Ledgerloom Software, Inc.", text, StringComparison.Ordinal);
            Assert.Contains("Make month-end close effortless for small firms", text, StringComparison.Ordinal);
            Assert.Contains("plan from 2027-01-04 to 2027-", text, StringComparison.Ordinal);
        }

        var html = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("share-html").ClickAsync());
        Assert.Equal("Ledgerloom-roadmap.html", html.SuggestedFilename);
        var shared = await context.NewPageAsync();
        var external = new List<string>();
        shared.Request += (_, r) => { if (!r.Url.StartsWith("data:", StringComparison.Ordinal)) external.Add(r.Url); };
        await shared.SetContentAsync(await File.ReadAllTextAsync((await html.PathAsync())!));
        await Expect(shared.Locator("h1")).ToHaveTextAsync("Ledgerloom Software, Inc.");
        await Expect(shared.Locator("svg.chart rect").First).ToBeVisibleAsync();
        await shared.ScreenshotAsync(new() { Path = Path.Combine(Built.ArtifactsDirectory, "share.png"), FullPage = true });
        Assert.Empty(external);   // self-contained: nothing fetched
        await context.CloseAsync();
    }
}
