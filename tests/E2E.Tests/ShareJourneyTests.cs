using System.Net;
using UglyToad.PdfPig;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

public sealed class ShareJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_founder_measures_a_key_result_then_shares_the_roadmap_as_pdf_html_and_a_link_revoked_later()
    {
        await using var app = await AppServer.StartAsync();
        var context = await browser.Browser.NewContextAsync(new() { AcceptDownloads = true, ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();

        // A key result gets its current value on the Workspace page; the objective's progress follows, and is saved.
        await page.GotoAsync(app.BaseUrl + "/workspace");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1);
        var arr = page.GetByTestId("objective").Nth(1).GetByTestId("key-results").Locator("tbody tr").First;   // o2: ARR from 410 to 1200 $k
        await Expect(arr.GetByLabel("Key result", new() { Exact = true })).ToHaveValueAsync("ARR by December 2027");
        await arr.GetByLabel("Current value").FillAsync("805");
        await arr.GetByLabel("Current value").PressAsync("Tab");
        await Expect(page.GetByTestId("objective-progress").Nth(1)).ToContainTextAsync("key results 50%");
        await page.Locator("#save-workspace").ClickAsync();
        await Expect(page.Locator(".rz-notification-title")).ToContainTextAsync("Workspace saved");
        await page.ReloadAsync();
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("objective-progress").Nth(1)).ToContainTextAsync("key results 50%");
        await Screenshots.SaveAsync(page, "objectives.png");
        const string measured = "ARR by December 2027: 805 $k (from 410 to 1200, 50%)";

        await page.GotoAsync(app.BaseUrl);
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1);
        var pdf = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("share-pdf").ClickAsync());
        Assert.Equal("Ledgerloom-roadmap.pdf", pdf.SuggestedFilename);
        using (var document = PdfDocument.Open(await File.ReadAllBytesAsync((await pdf.PathAsync())!)))
        {
            Assert.Equal(1, document.NumberOfPages);
            var text = string.Join(" ", document.GetPage(1).GetWords().Select(w => w.Text));
            Assert.Contains("Ledgerloom Software, Inc.", text, StringComparison.Ordinal);
            Assert.Contains("Make month-end close effortless for small firms", text, StringComparison.Ordinal);
            Assert.Contains("plan from 2027-01-04 to 2027-", text, StringComparison.Ordinal);
            Assert.Contains(measured, text, StringComparison.Ordinal);
        }

        var html = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("share-html").ClickAsync());
        Assert.Equal("Ledgerloom-roadmap.html", html.SuggestedFilename);
        var shared = await context.NewPageAsync();
        var external = new List<string>();
        shared.Request += (_, r) => { if (!r.Url.StartsWith("data:", StringComparison.Ordinal)) external.Add(r.Url); };
        await shared.SetContentAsync(await File.ReadAllTextAsync((await html.PathAsync())!));
        await Expect(shared.Locator("h1")).ToHaveTextAsync("Ledgerloom Software, Inc.");
        await Expect(shared.Locator("svg.chart rect").First).ToBeVisibleAsync();
        await Expect(shared.Locator("body")).ToContainTextAsync(measured);
        await Screenshots.SaveAsync(shared, "share.png");
        Assert.Empty(external);   // self-contained: nothing fetched

        // A read-only link for the board, made on the roadmap page, opened by someone who never signed in, then revoked.
        await page.GetByTestId("share-links-toggle").ClickAsync();
        await page.GetByTestId("share-link-label").FillAsync("board");
        await page.GetByTestId("share-link-create").ClickAsync();
        var url = await page.GetByTestId("share-link-url").InputValueAsync();
        Assert.Matches("/s/[A-Za-z0-9_-]{43}$", url);
        await Expect(page.GetByTestId("share-link")).ToContainTextAsync("board");
        await Screenshots.SaveAsync(page, "share-links.png", fullPage: false);
        await using (var stranger = await browser.Browser.NewContextAsync())
        {
            var board = await stranger.NewPageAsync();
            await board.GotoAsync(url);
            await Expect(board.Locator("h1")).ToHaveTextAsync("Ledgerloom Software, Inc.");
            await Expect(board.Locator("body")).ToContainTextAsync(measured);

            await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Revoke the link for board" }).ClickAsync();
            await Expect(page.GetByTestId("share-links-none")).ToBeVisibleAsync();
            var gone = await board.GotoAsync(url);
            Assert.Equal((int)HttpStatusCode.NotFound, gone!.Status);
        }
        await context.CloseAsync();
    }
}
