using Microsoft.Playwright;

namespace Planner.E2E.Tests;

/// <summary>A test class's view of the suite's one headless Chromium (Debian's, found at CHROMIUM_PATH or
/// /usr/bin/chromium): the class opens its own pages and contexts there, and they are closed when the class ends.
/// One browser for the whole run, not one per class: each launch cost the run's two cores about 4 CPU-s (browser,
/// zygote, GPU and utility processes and a Playwright driver), more than most classes' pages together.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private ClassBrowser? browser;

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async Task InitializeAsync() => browser = new ClassBrowser(await SharedChromium.GetAsync());

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
    }
}

/// <summary>The suite's Chromium, launched at first use and again if it ever goes away; closed when the test process
/// exits (and, if that is cut short, Chromium ends with the Playwright driver whose pipe it reads).</summary>
internal static class SharedChromium
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? playwright;
    private static IBrowser? browser;

    public static async Task<IBrowser> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (browser is { IsConnected: true }) return browser;
            var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
            if (!File.Exists(executable))
                throw new InvalidOperationException($"Chromium not found at {executable}: run ./test.sh (it installs Debian's chromium) or set CHROMIUM_PATH.");
            if (playwright is null)
            {
                playwright = await Microsoft.Playwright.Playwright.CreateAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => Close();
            }
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            return browser;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static void Close()
    {
        try
        {
            browser?.CloseAsync().Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException) { } // already gone
        playwright?.Dispose();
    }
}
