using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

/// <summary>What a browser can send at once stays within what the Blazor connection carries: text boxes take at most
/// what the page says, an upload at most 20 files — and the page keeps working after a founder tries more.</summary>
public sealed class BrowserLimitsTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_huge_paste_is_cut_to_the_stated_limit_and_too_many_files_are_refused_with_the_page_still_live()
    {
        await using var app = await AppServer.StartAsync();
        var files = Built.NewTempDirectory("many-files");
        var page = await browser.Browser.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/documents");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("upload-limits")).ToHaveTextAsync("Up to 20 files at a time, 20 MB each.");

        // 100 KB pasted into a search box: three times what dropped the connection before, typed as one input event.
        await page.FocusAsync("#document-search");
        await page.Keyboard.InsertTextAsync(new string('x', 100_000));
        Assert.Equal(500, (await page.InputValueAsync("#document-search")).Length);

        // 21 files chosen at once: one message, nothing uploaded — and the circuit that renders it is alive.
        var chosen = Enumerable.Range(1, 21).Select(i =>
        {
            var file = Path.Combine(files, $"note-{i:D2}.md");
            File.WriteAllText(file, $"# Note {i}\nA short note.");
            return file;
        }).ToArray();
        var before = await page.GetByTestId("documents").Locator("tbody tr").CountAsync();
        await page.SetInputFilesAsync("#upload-documents", chosen);
        await Expect(page.GetByTestId("upload-messages")).ToHaveTextAsync("You chose 21 files; upload at most 20 at a time. Nothing was uploaded.");
        Assert.Equal(before, await page.GetByTestId("documents").Locator("tbody tr").CountAsync());
        await page.SetInputFilesAsync("#upload-documents", chosen[0]);
        await Expect(page.GetByTestId("upload-messages")).ToContainTextAsync("note-01.md: added");
        Assert.DoesNotContain("Connection disconnected", app.Log);
    }
}
