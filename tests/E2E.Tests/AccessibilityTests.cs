using Deque.AxeCore.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

/// <summary>axe-core over every page of the app, once each, in one app start.</summary>
public sealed class AccessibilityTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    /// <summary>Every page a signed-in founder reaches (the sign-in page is served only when the app is exposed).</summary>
    private static readonly string[] Pages = ["", "workspace", "documents", "draft", "chat", "label", "training", "models", "settings/tokens"];

    [Fact]
    public async Task No_page_has_a_serious_or_critical_accessibility_violation()
    {
        await using var app = await AppServer.StartAsync();
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        var found = new List<string>();
        foreach (var path in Pages)
        {
            await page.GotoAsync($"{app.BaseUrl}/{path}");
            await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
            // The icon font first: until it has loaded, an icon's ligature ("keyboard_arrow_down") is visible text, and
            // axe reads a labelled icon button as naming itself differently from what it shows (seen under load).
            await page.EvaluateAsync("async () => { await document.fonts.ready; }");
            var results = await page.RunAxe();
            foreach (var violation in results.Violations.Where(v => v.Impact is "serious" or "critical"))
                found.Add($"/{path}: {violation.Id} ({violation.Impact}): {violation.Help} — " +
                          string.Join("; ", violation.Nodes.Take(5).Select(n => n.Target?.ToString())));
        }
        output.WriteLine(found.Count == 0 ? "no serious or critical violations" : string.Join("\n", found));
        Assert.Empty(found);
    }
}
