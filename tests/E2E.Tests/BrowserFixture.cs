using Microsoft.Playwright;

namespace Planner.E2E.Tests;

/// <summary>One headless Chromium shared by a test class: the binary CHROMIUM_PATH names, else Debian's headless shell
/// (what <c>./test.sh</c> installs), else Debian's full Chromium.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public IPlaywright Playwright { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        var executable = Executable;
        if (!File.Exists(executable))
            throw new InvalidOperationException($"Chromium not found at {executable}: run ./test.sh (it installs Debian's chromium-headless-shell) or set CHROMIUM_PATH.");
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = new ReducedMotionBrowser(await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        }));
    }

    /// <summary>The Chromium binary the browser tests run.</summary>
    private static string Executable =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } chosen ? chosen
        : File.Exists(HeadlessShell) ? HeadlessShell : "/usr/bin/chromium";

    private const string HeadlessShell = "/usr/bin/chromium-headless-shell";

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
    }
}
