using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

/// <summary>A founder brings their backlog: each tracker's export (tests/TrackerExports) through the preview in the
/// browser, then a re-import that updates in place.</summary>
public sealed class TrackerImportJourneyTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private static string Export(string name) => Path.Combine(Built.RepositoryRoot, "tests", "TrackerExports", name);

    /// <summary>The grid row whose title is exactly this (the sample has titles that contain others).</summary>
    private static ILocator Row(IPage page, string title) => page.Locator("tbody tr.rz-data-row").Filter(new()
    {
        Has = page.Locator("td:nth-child(2)", new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(title)}\\s*$") }),
    });

    [Fact]
    public async Task Each_trackers_export_imports_through_the_preview_with_dependencies_and_estimates_and_a_re_import_updates_in_place()
    {
        await using var app = await AppServer.StartAsync();
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 1000 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(app.BaseUrl);
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });

        // file, tracker, initiatives created, a rolled-up initiative and its weeks, a dependent and its dependency
        (string File, string Tracker, int Created, string Epic, string Weeks, string Dependent, string Depends)[] exports =
        [
            ("jira.csv", "Jira", 4, "Bank feeds for Nordic banks", "3", "Reconciliation review screen", "LL-104"),
            ("linear.csv", "Linear", 4, "Multi-currency ledger", "3", "Currency picker on invoices", "ENG-210"),
            ("github-projects.csv", "GitHub Projects", 3, "Receipt capture in the mobile app", "2", "Receipt capture in the mobile app", ""),
            ("productboard.csv", "Productboard", 3, "Client portal", "3", "Client portal", ""),
        ];
        foreach (var (file, tracker, created, epic, weeks, dependent, depends) in exports)
        {
            await page.SetInputFilesAsync("#import-file", Export(file));
            var preview = page.GetByTestId("import-preview");
            await Expect(preview).ToContainTextAsync($"a {tracker} export — nothing is saved yet");
            await Expect(page.GetByTestId("mapping-columns")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("preview-counts")).ToContainTextAsync($"Creates {created}:");
            await page.GetByTestId("import-confirm").ClickAsync();
            await Expect(page.GetByTestId("import-outcome")).ToContainTextAsync($"From the {tracker} export: {created} created, 0 updated.");
            await Expect(preview).ToHaveCountAsync(0);

            // Columns: id, title, status, weeks, demand, depends on, …
            await Expect(Row(page, epic).Locator("td").Nth(3)).ToHaveTextAsync(weeks);
            if (depends.Length > 0)
                await Expect(Row(page, dependent).Locator("td").Nth(5)).ToHaveTextAsync(depends);
        }
        await Expect(Row(page, "Reconciliation review screen").GetByTestId("unestimated")).ToHaveCountAsync(1);

        // A newer Jira export: the same keys, so the preview updates rather than creates, and the import keeps the count.
        var rows = await page.Locator("tbody tr.rz-data-row").CountAsync();
        await page.SetInputFilesAsync("#import-file", Export("jira.csv"));
        await Expect(page.GetByTestId("preview-counts")).ToContainTextAsync("Creates 0:");
        await Expect(page.GetByTestId("preview-counts")).ToContainTextAsync("Updates 4: LL-101, LL-104, LL-105, LL-106");
        await page.GetByTestId("import-confirm").ClickAsync();
        await Expect(page.GetByTestId("import-outcome")).ToContainTextAsync("From the Jira export: 0 created, 4 updated.");
        await Expect(page.Locator("tbody tr.rz-data-row")).ToHaveCountAsync(rows);
        await Screenshots.SaveAsync(page, "tracker-import.png");

        output.WriteLine($"page errors: {string.Join(" | ", errors)}");
        Assert.Empty(errors);
    }
}
