using Microsoft.Playwright;

namespace Planner.E2E.Tests;

/// <summary>One app process (with the sample workspace) and one Chromium, shared by a test class whose journeys do not
/// depend on each other's order; each test opens its own pages (its own circuits).</summary>
public sealed class AppWithBrowserFixture : IAsyncLifetime
{
    private readonly BrowserFixture browser = new();

    public AppServer App { get; private set; } = default!;
    public IBrowser Browser => browser.Browser;

    public async Task InitializeAsync()
    {
        var app = AppServer.StartAsync();
        await browser.InitializeAsync();
        App = await app;
    }

    /// <summary>A new page on <paramref name="path"/>, once its circuit is interactive.</summary>
    public async Task<IPage> OpenAsync(string path)
    {
        var page = await Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 1000 } });
        await page.GotoAsync(App.BaseUrl + path);
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        return page;
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        await App.DisposeAsync();
    }
}
