using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

/// <summary>What the browser tests do on the Training page more than once.</summary>
internal static class TrainingPage
{
    /// <summary>Opens the Training page of <paramref name="baseUrl"/> and starts a language-model run on the sample
    /// documents with the given steps and batch 1.</summary>
    public static async Task StartSampleRunAsync(IPage page, string baseUrl, int steps)
    {
        await page.GotoAsync(baseUrl + "/training");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.SelectOptionAsync("#train-data", "sample");
        await page.FillAsync("#train-steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#train-batch", "1");
        await page.ClickAsync("#train-start");
    }
}
