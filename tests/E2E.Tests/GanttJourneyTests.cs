using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

/// <summary>A founder drags an initiative on the Gantt and sees what moves before saving it, uses the boards and the
/// value/effort chart, and filters the roadmap and saves the filter as a view. One app start for the whole journey.</summary>
public sealed partial class GanttJourneyTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [GeneratedRegex(@"weeks (\d+)–(\d+)")]
    private static partial Regex Weeks();

    private static async Task<int> WeekAsync(ILocator bar, int group) =>
        int.Parse(Weeks().Match(await bar.GetAttributeAsync("title") ?? "").Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static Task<int> StartWeekAsync(ILocator bar) => WeekAsync(bar, 1);

    /// <summary>Opens the page and waits for the live circuit: the prerendered copy shows the same text but does not act.</summary>
    private static async Task GoAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
    }

    private static async Task OpenTimelineAsync(IPage page, string baseUrl)
    {
        await GoAsync(page, baseUrl + "/?view=timeline");
        await Expect(page.Locator("[data-testid=schedule-status][data-settled=true]")).ToContainTextAsync("initiatives in", new() { Timeout = 30_000 });
    }

    /// <summary>Holds the bar, moves the pointer <paramref name="pixels"/> sideways in steps, lets go.</summary>
    private static async Task DragAsync(IPage page, ILocator bar, double pixels)
    {
        await bar.ScrollIntoViewIfNeededAsync();
        var box = (await bar.BoundingBoxAsync())!;
        var (x, y) = (box.X + Math.Min(20, box.Width / 2), box.Y + box.Height / 2);
        await page.Mouse.MoveAsync((float)x, (float)y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync((float)(x + pixels / 2), (float)y, new() { Steps = 4 });
        await page.Mouse.MoveAsync((float)(x + pixels), (float)y, new() { Steps = 4 });
        await page.Mouse.UpAsync();
    }

    [Fact]
    public async Task A_founder_drags_an_initiative_sees_what_moves_saves_it_uses_the_boards_and_saves_a_view()
    {
        await using var app = await AppServer.StartAsync();
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 1100 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };

        // Gantt: i5 (after i1; i6 waits for i5) dragged three weeks later. The page shows what else moves; nothing is saved yet.
        await OpenTimelineAsync(page, app.BaseUrl);
        await Expect(page.Locator("path.gantt-arrow[data-from=i1][data-to=i5]")).ToHaveCountAsync(1);
        await Expect(page.Locator(".timeline-bar.critical").First).ToBeVisibleAsync();
        var i5 = page.Locator("[data-testid=gantt-bar][data-key=i5]");
        var before = await StartWeekAsync(i5);
        await DragAsync(page, i5, 3 * 44);
        await Expect(page.GetByTestId("gantt-move")).ToContainTextAsync($"Trying i5", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("gantt-move")).ToContainTextAsync($"locked to start in week {before + 3}");
        await Expect(page.GetByTestId("gantt-move-moved")).ToContainTextAsync("i6");
        await Expect(page.GetByTestId("planned-bar").First).ToBeVisibleAsync(); // where the moved bars were
        await Screenshots.SaveAsync(page, "gantt-move.png");
        await page.GetByTestId("gantt-move-save").ClickAsync();
        await Expect(page.GetByTestId("gantt-move")).ToHaveCountAsync(0, new() { Timeout = 30_000 });

        await OpenTimelineAsync(page, app.BaseUrl); // saved: after a reload i5 is locked three weeks later
        Assert.Equal(before + 3, await StartWeekAsync(i5));
        await Expect(i5).ToContainTextAsync("🔒");

        // Before its predecessor i5 ends: shown with the reason, and Save is not offered.
        var i6 = page.Locator("[data-testid=gantt-bar][data-key=i6]");
        await DragAsync(page, i6, (await WeekAsync(i5, 2) - 2 - await StartWeekAsync(i6)) * 44);
        await Expect(page.GetByTestId("gantt-move-problems")).ToContainTextAsync("dependencies", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("gantt-move-save")).ToBeDisabledAsync();
        await Screenshots.SaveAsync(page, "gantt-move-refused.png");
        await page.GetByTestId("gantt-move-cancel").ClickAsync();

        // Zoom out to quarters: the whole plan fits; a click on a bar opens the initiative.
        await page.GetByTestId("gantt-zoom").GetByText("Quarters").ClickAsync();
        await Expect(page.GetByTestId("gantt-tick").First).ToHaveTextAsync("2027 Q1");
        await Screenshots.SaveAsync(page, "gantt-quarters.png");
        await page.Locator("[data-testid=gantt-bar][data-key=i2]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"roadmap\?initiative=i2$"));

        // Boards: now / next / later, then by status — i6 dragged from planned to in progress is saved.
        await GoAsync(page, app.BaseUrl + "/?view=boards");
        await Expect(page.GetByTestId("board-now").Locator(".board-card").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(page, "board-now-next-later.png");
        await page.GetByTestId("board-kind").GetByText("By status").ClickAsync();
        await page.Locator("[data-testid=status-planned] [data-key=i6]").DragToAsync(page.GetByTestId("status-in-progress"));
        await Expect(page.Locator("[data-testid=status-in-progress] [data-key=i6]")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(page, "board-status.png");

        // The value/effort 2×2.
        await GoAsync(page, app.BaseUrl + "/?view=value-effort");
        await Expect(page.GetByTestId("quadrant-quick-win")).ToContainTextAsync("Quick wins");
        await Expect(page.GetByTestId("value-effort-chart").Locator("svg").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "value-effort.png");

        // A filter (MoSCoW: must) applies to the grid; saved as a view, it comes back after a reload.
        await GoAsync(page, app.BaseUrl + "/");
        var musts = Regex.Count(await File.ReadAllTextAsync(Path.Combine(Built.RepositoryRoot, "data", "sample", "roadmap.json")), "\"moscow\": \"must\"");
        await page.Locator("[data-testid=roadmap-filter] .rz-dropdown").Nth(3).ClickAsync();
        await page.Locator("li:visible", new() { HasTextRegex = new Regex("^\\s*must\\s*$") }).ClickAsync(); // the open list's item
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByTestId("filter-count")).ToHaveTextAsync($"{musts} of 36 initiatives");
        await Expect(page.Locator("tbody tr.rz-data-row")).ToHaveCountAsync(musts);
        await page.GetByTestId("view-name").FillAsync("Musts");
        await page.GetByTestId("view-save").ClickAsync();
        await Expect(page.GetByTestId("saved-view").Locator("option", new() { HasText = "Musts" })).ToHaveCountAsync(1);

        await page.ReloadAsync();
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(page.Locator("tbody tr.rz-data-row")).ToHaveCountAsync(36);
        await page.GetByTestId("saved-view").SelectOptionAsync("Musts");
        await Expect(page.Locator("tbody tr.rz-data-row")).ToHaveCountAsync(musts);
        await Screenshots.SaveAsync(page, "saved-view.png");

        output.WriteLine($"console errors: {string.Join(" | ", errors)}");
        Assert.Empty(errors);
    }
}
