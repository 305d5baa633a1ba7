using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

/// <summary>What the browser tests do on the Training page more than once.</summary>
internal static class TrainingPage
{
    /// <summary>Opens the Training page of <paramref name="app"/> and starts a language-model run on the sample
    /// documents with the given steps and batch 1; returns once the run is listed. When it never is, the failure
    /// carries the end of the app's log (an error in the page's circuit is only written there).</summary>
    public static async Task StartSampleRunAsync(IPage page, AppServer app, int steps)
    {
        await page.GotoAsync(app.BaseUrl + "/training");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.SelectOptionAsync("#train-data", "sample");
        await page.FillAsync("#train-steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#train-batch", "1");
        await page.ClickAsync("#train-start");
        try
        {
            await Expect(page.GetByTestId("training-run")).Not.ToHaveCountAsync(0);
        }
        catch (PlaywrightException e)
        {
            var log = app.Log;
            throw new Xunit.Sdk.XunitException($"No run was listed after Start: {e.Message.Split('\n')[0]}\nThe app's log ends:\n{log[Math.Max(0, log.Length - 6000)..]}");
        }
    }
}
