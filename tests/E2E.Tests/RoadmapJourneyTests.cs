using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

public sealed class RoadmapJourneyTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_founder_sees_the_sample_adds_an_initiative_and_it_survives_a_reload()
    {
        await using var app = await AppServer.StartAsync();
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 1000 } });
        var external = new List<string>();
        var errors = new List<string>();
        page.Request += (_, r) => { if (!r.Url.StartsWith("http://127.0.0.1", StringComparison.Ordinal) && !r.Url.StartsWith("ws://127.0.0.1", StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal)) external.Add(r.Url); };
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(app.BaseUrl);
        await Expect(page.GetByTestId("workspace-name")).ToHaveTextAsync("Ledgerloom");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(page.Locator("tbody tr.rz-data-row")).ToHaveCountAsync(36);

        await page.GetByText("Save version").ClickAsync(); // the plan to compare with later
        await Expect(page.Locator(".rz-notification-title")).ToContainTextAsync("Version saved");

        await page.ClickAsync("#add-initiative");
        await page.FillAsync("#edit-title", "Partner API for payroll providers");
        await page.FillAsync("#edit-duration input", "4");
        await page.FillAsync("#edit-demand", "be:1;fe:1");
        await page.FillAsync("#edit-depends", "i1");
        await page.Locator("#edit-depends").BlurAsync();
        await page.ClickAsync("#save-row");
        await Expect(page.Locator("#save-row")).ToHaveCountAsync(0); // the row left edit mode: it was saved
        await Expect(page.GetByTestId("grid-problems")).ToHaveCountAsync(0);
        await Expect(page.Locator("tbody tr.rz-data-row")).ToHaveCountAsync(37);

        await page.ReloadAsync();
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        var row = page.Locator("tbody tr.rz-data-row", new() { HasText = "Partner API for payroll providers" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("be:1;fe:1");
        await Screenshots.SaveAsync(page, "roadmap-after-reload.png");

        await page.GetByText("Timeline").ClickAsync();
        await Expect(page.GetByTestId("schedule-status")).ToContainTextAsync("35 initiatives in", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("critical-path").Locator("li").First).ToBeVisibleAsync(new() { Timeout = 30_000 }); // after the solve, which a busy machine slows
        await Expect(page.GetByTestId("planned-comparison")).ToContainTextAsync("Outlined bars: the plan saved as version 'Saved ");
        await Screenshots.SaveAsync(page, "timeline.png");

        output.WriteLine($"external requests: {string.Join(", ", external)}; console errors: {string.Join(" | ", errors)}");
        Assert.Empty(external);
        Assert.Empty(errors);
    }
}
