using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

/// <summary>The roadmap's detail panel, versions and workspaces, as a founder uses them in the browser.</summary>
public sealed class RoadmapToolsJourneyTests(AppWithBrowserFixture fixture) : IClassFixture<AppWithBrowserFixture>
{
    /// <summary>What the journey types into the panel of i5 (boxes by id), and what it picks from lists.</summary>
    private static readonly Dictionary<string, string> Typed = new()
    {
        ["#panel-title"] = "Bank feeds with auto-matching", ["#panel-description"] = "Daily feeds, matched to ledger lines.",
        ["#panel-duration"] = "6", ["#panel-effort-pw"] = "15",
        ["#panel-demand-be"] = "1", ["#panel-demand-data"] = "", ["#panel-demand-fe"] = "2", ["#panel-demand-design"] = "1",
        ["#panel-lag-1"] = "2",
        ["#panel-earliest"] = "2027-03-01", ["#panel-locked"] = "2027-09-06", ["#panel-deadline"] = "2027-12-20",
        ["#panel-reach"] = "1700", ["#panel-impact"] = "2", ["#panel-confidence"] = "0.7", ["#panel-effort"] = "30",
        ["#panel-business-value"] = "8", ["#panel-time-criticality"] = "3", ["#panel-risk-reduction"] = "2",
    };

    private static readonly Dictionary<string, string> Picked = new()
    {
        ["#panel-status"] = "InProgress", ["#panel-moscow"] = "Should", ["#panel-dep-1"] = "i2",
    };

    [Fact]
    public async Task A_founder_edits_every_field_of_an_initiative_in_its_panel_and_finds_them_after_a_reload()
    {
        var page = await fixture.OpenAsync("/roadmap?initiative=i5");
        var panel = page.GetByTestId("initiative-panel");
        await Expect(page.Locator("#panel-title")).ToHaveValueAsync("Bank feed reconciliation");
        await Expect(page.Locator("#panel-title")).ToBeFocusedAsync();

        // Inline validation, by the roadmap's own validator, before anything is saved.
        await page.FillAsync("#panel-confidence", "1.5");
        await page.Locator("#panel-confidence").BlurAsync();
        await Expect(page.GetByTestId("panel-invalid-confidence")).ToContainTextAsync("Confidence is a share between 0 and 1");

        await page.ClickAsync("#panel-add-dependency");
        foreach (var (box, value) in Picked) await page.SelectOptionAsync(box, value);
        foreach (var (box, value) in Typed) await page.FillAsync(box, value);
        await page.ClickAsync("#panel-objective-o3");
        await page.ClickAsync("#panel-objective-o1"); // unlink
        await page.ClickAsync("#panel-hard");
        await page.Locator("#panel-risk-reduction").BlurAsync();
        await Expect(page.GetByTestId("panel-invalid-confidence")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "initiative-panel.png");
        await page.ClickAsync("#panel-save");
        // The confirmation first: it shows for a few seconds only, and waiting for the panel to close first could miss it.
        await Expect(page.Locator(".rz-notification-title")).ToContainTextAsync("Saved");
        await Expect(panel).ToHaveCountAsync(0);
        await Expect(page.Locator("tbody tr.rz-data-row", new() { HasText = "Bank feeds with auto-matching" })).ToContainTextAsync("be:1;fe:2;design:1");

        await page.GotoAsync(fixture.App.BaseUrl + "/roadmap?initiative=i5");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        foreach (var (box, value) in Typed.Concat(Picked).Append(new("#panel-dep-0", "i1")).Append(new("#panel-lag-0", "0"))) await Expect(page.Locator(box)).ToHaveValueAsync(value);
        await Expect(page.Locator("#panel-objective-o1")).Not.ToBeCheckedAsync();
        await Expect(page.Locator("#panel-objective-o2")).ToBeCheckedAsync();
        await Expect(page.Locator("#panel-objective-o3")).ToBeCheckedAsync();
        await Expect(page.Locator("#panel-hard")).ToBeCheckedAsync();

        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByTestId("initiative-panel")).ToHaveCountAsync(0);
        Assert.DoesNotContain("initiative=", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_tabs_editing_the_same_initiative_the_second_save_is_refused_and_its_edits_stay_in_the_form()
    {
        var first = await fixture.OpenAsync("/roadmap?initiative=i7");
        var second = await fixture.OpenAsync("/roadmap?initiative=i7");
        await first.FillAsync("#panel-title", "Two-way sync, first tab");
        await first.ClickAsync("#panel-save");
        await Expect(first.GetByTestId("initiative-panel")).ToHaveCountAsync(0);

        await second.FillAsync("#panel-title", "Two-way sync, second tab");
        await second.ClickAsync("#panel-save");
        await Expect(second.GetByTestId("panel-problems")).ToContainTextAsync("was changed by someone else after you opened it; your changes were not saved");
        await Expect(second.Locator("#panel-title")).ToHaveValueAsync("Two-way sync, second tab");
        await Screenshots.SaveAsync(second, "initiative-panel-conflict.png", fullPage: false);

        await second.ClickAsync("[data-testid=panel-load-latest]");
        await Expect(second.Locator("#panel-title")).ToHaveValueAsync("Two-way sync, first tab");
    }

    /// <summary>Presses Tab until the focused element satisfies <paramref name="focused"/> (a JavaScript predicate on
    /// <c>el</c>); fails with what has focus when it never does.</summary>
    private static async Task TabToAsync(IPage page, string focused, int most = 400)
    {
        for (var n = 0; n < most; n++)
        {
            if (await page.EvaluateAsync<bool>($"() => {{ const el = document.activeElement; return !!el && ({focused}); }}")) return;
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"Tab never reached {focused}; focus is on {await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML?.slice(0, 200) ?? 'nothing'")}");
    }

    [Fact]
    public async Task A_founder_opens_edits_tags_saves_and_moves_an_initiative_with_the_keyboard_alone()
    {
        var page = await fixture.OpenAsync("/roadmap");

        await TabToAsync(page, "el.getAttribute('aria-label')?.startsWith('Open i3 ')");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#panel-title")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.TypeAsync(" (keyboard)");
        await TabToAsync(page, "el.id === 'panel-tag-new'");
        await page.Keyboard.TypeAsync("Security, compliance, extra");
        await page.Keyboard.PressAsync("Enter"); // adds the tags; it does not save the initiative
        await Expect(page.GetByTestId("panel-tag")).ToHaveCountAsync(3);
        // Backspace deletes what is being typed first; only in the empty box does it take the last tag off.
        await page.Keyboard.TypeAsync("ab");
        for (var n = 0; n < 3; n++) await page.Keyboard.PressAsync("Backspace");
        await Expect(page.GetByTestId("panel-tag")).ToHaveTextAsync([new Regex("^Security"), new Regex("^compliance")]);
        await Expect(page.Locator("#panel-tag-new")).ToHaveValueAsync("");
        await Expect(page.GetByTestId("initiative-panel")).ToHaveCountAsync(1);
        await TabToAsync(page, "el.id === 'panel-save'");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("initiative-panel")).ToHaveCountAsync(0);
        var row = page.Locator("tbody tr.rz-data-row", new() { HasText = "SSO with Google and Microsoft (keyboard)" });
        await Expect(row.GetByTestId("tag")).ToHaveTextAsync(["Security", "compliance"]);

        // The Boards tab, the status board, and the card's move button.
        await TabToAsync(page, "el.closest('[role=tablist]') !== null");
        for (var n = 0; n < 5; n++) await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("board-kind")).ToBeVisibleAsync();
        await TabToAsync(page, "el.textContent.trim() === 'By status'");
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, "el.getAttribute('aria-label') === 'Move i3 to in-progress'");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("status-in-progress").Locator(".board-card[data-key=i3]")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(page, "keyboard-status-board.png");
    }

    [Fact]
    public async Task A_founder_compares_a_saved_version_with_today_and_restores_it()
    {
        var page = await fixture.OpenAsync("/roadmap");
        await page.GetByText("Save version").ClickAsync();
        await Expect(page.Locator(".rz-notification-title")).ToContainTextAsync("Version saved");

        await page.GotoAsync(fixture.App.BaseUrl + "/roadmap?initiative=i2");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        var before = await page.Locator("#panel-duration").InputValueAsync();
        var longer = (int.Parse(before, System.Globalization.CultureInfo.InvariantCulture) + 4).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await page.FillAsync("#panel-duration", longer);
        await page.ClickAsync("#panel-save");
        await Expect(page.GetByTestId("initiative-panel")).ToHaveCountAsync(0);

        await page.GotoAsync(fixture.App.BaseUrl + "/roadmap?view=versions");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.ClickAsync("#compare-versions");
        var diff = page.GetByTestId("version-diff");
        await Expect(diff).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(diff.GetByTestId("diff-changed")).ToContainTextAsync($"durationWeeks {before} → {longer}");
        await Expect(diff.GetByTestId("diff-end")).ToContainTextAsync("End date:");
        await Expect(diff.GetByTestId("diff-moved")).ToContainTextAsync("i2 "); // its own dates moved with it
        await Screenshots.SaveAsync(page, "versions-compare.png");

        await page.Locator(".restore-version").First.ClickAsync();
        await Expect(page.GetByTestId("restore-preview")).ToContainTextAsync("is kept as a version first");
        await page.ClickAsync("#confirm-restore");
        await Expect(page.Locator(".rz-notification-title")).ToContainTextAsync("Version restored");
        await Expect(page.GetByTestId("version-list")).ToContainTextAsync("Before restoring version 'Saved ");

        await page.GotoAsync(fixture.App.BaseUrl + "/roadmap?initiative=i2");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(page.Locator("#panel-duration")).ToHaveValueAsync(before);
    }

    [Fact]
    public async Task A_founder_creates_renames_switches_to_and_deletes_a_workspace_and_a_backup_is_kept()
    {
        var page = await fixture.OpenAsync("/workspaces");
        await page.FillAsync("#new-workspace-name", "Second company");
        await page.FillAsync("#new-workspace-company", "Second Co Ltd");
        await page.ClickAsync("#create-workspace");
        var row = page.GetByTestId("workspace-row").Filter(new() { HasText = "Second company" });
        await Expect(row).ToHaveCountAsync(1);

        await row.Locator(".rename-workspace").ClickAsync();
        await page.FillAsync("#rename-box", "Second co");
        await page.ClickAsync("#rename-save");
        row = page.GetByTestId("workspace-row").Filter(new() { HasText = "Second co" });
        await Expect(row).ToContainTextAsync("Second Co Ltd");
        await Expect(page.GetByTestId("workspace-row").Filter(new() { HasText = "Second company" })).ToHaveCountAsync(0);

        await row.Locator(".open-workspace").ClickAsync();
        await Expect(page.GetByTestId("workspace-name")).ToHaveTextAsync("Second co");
        await page.GetByRole(AriaRole.Link, new() { Name = "Workspaces" }).ClickAsync();
        await Expect(page.GetByTestId("workspace-row").Filter(new() { HasText = "Second co" }).GetByTestId("current-workspace")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(page, "workspaces.png");

        await page.GetByTestId("workspace-row").Filter(new() { HasText = "Second co" }).Locator(".delete-workspace").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(page.Locator(".rz-notification-title")).ToContainTextAsync("Workspace deleted");
        await Expect(page.GetByTestId("workspace-row")).ToHaveCountAsync(1);
        var kept = Directory.GetFiles(Path.Combine(fixture.App.DataDirectory, "backups"), "*Second_co*");
        Assert.Equal([".json", ".zip"], kept.Select(Path.GetExtension).Order(StringComparer.Ordinal));

        await page.GetByRole(AriaRole.Link, new() { Name = "Roadmap" }).ClickAsync();
        await Expect(page.GetByTestId("workspace-name")).ToHaveTextAsync("Ledgerloom"); // the deleted one was current: back to the first
    }
}
