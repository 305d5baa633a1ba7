using Microsoft.Playwright;

namespace Planner.E2E.Tests;

/// <summary>The screenshots the journeys keep under artifacts/e2e, for a person to look at; no test compares them.
/// Debian's Chromium 156 headless shell has been seen to leave a full-page capture unanswered after every assertion of a
/// journey had passed (the roadmap journey, in full suites; it passed alone and when run again; docs/troubleshooting.md). A full-page capture that does not come back in <see cref="FullPageMilliseconds"/> is therefore taken again at
/// the window's size, and that one must succeed: a page that no longer renders at all still fails its journey. Each
/// fallback is written, with the page's state, to artifacts/e2e/screenshot-fallbacks.log.</summary>
internal static class Screenshots
{
    private const float FullPageMilliseconds = 20_000;
    private const float WindowMilliseconds = 30_000;
    private static readonly Lock LogLock = new();

    /// <summary>Saves <paramref name="page"/> as artifacts/e2e/<paramref name="name"/>: the whole page, or the window
    /// when <paramref name="fullPage"/> is false.</summary>
    public static async Task SaveAsync(IPage page, string name, bool fullPage = true)
    {
        var path = Path.Combine(Built.ArtifactsDirectory, name);
        if (!fullPage)
        {
            await page.ScreenshotAsync(new() { Path = path, Timeout = WindowMilliseconds });
            return;
        }
        try
        {
            await page.ScreenshotAsync(new() { Path = path, FullPage = true, Timeout = FullPageMilliseconds });
        }
        catch (TimeoutException e)
        {
            var state = await StateAsync(page);
            await page.ScreenshotAsync(new() { Path = path, Timeout = WindowMilliseconds }); // throws if the page no longer renders
            lock (LogLock)
            {
                File.AppendAllText(Path.Combine(Built.ArtifactsDirectory, "screenshot-fallbacks.log"),
                    $"{DateTime.UtcNow:O} {name}: the full-page capture timed out ({e.Message.Split('\n')[0]}); the window's capture succeeded; page: {state}{Environment.NewLine}");
            }
        }
    }

    /// <summary>The page's size, visibility and running animations, or why the page did not answer within 10 s.</summary>
    private static async Task<string> StateAsync(IPage page)
    {
        var state = page.EvaluateAsync<string>("""
            () => JSON.stringify({ height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth,
              window: [innerWidth, innerHeight], visibility: document.visibilityState, fonts: document.fonts.status,
              animations: document.getAnimations().length })
            """);
        var answered = await Task.WhenAny(state, Task.Delay(TimeSpan.FromSeconds(10)));
        return answered == state ? await state : "no answer to a script within 10 s";
    }
}
