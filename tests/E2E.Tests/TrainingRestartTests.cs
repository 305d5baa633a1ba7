using System.Text.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

public sealed class TrainingRestartTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_run_killed_with_the_app_continues_from_its_last_checkpoint_after_a_restart()
    {
        var data = Built.NewTempDirectory("restart");
        var page = await browser.Browser.NewPageAsync();

        // Disposed also when the test fails before the kill: a leftover app would train on, beside the next tests.
        await using var first = await AppServer.StartAsync(data);
        await TrainingPage.StartSampleRunAsync(page, first, steps: 12);
        // Checkpoints every 2 steps for a 12-step run: wait past the second one, then kill the process mid-run.
        await Expect(page.GetByTestId("run-numbers")).ToContainTextAsync(new Regex(@"step ([5-9]|1[01])/12"), new() { Timeout = 120_000 });
        await first.KillAsync();
        // The page of the killed app waits to reconnect; the test browser prefers reduced motion, so its ring stands still
        // (animated, such a page kept a core busy until the browser closed).
        await Expect(page.Locator("#components-reconnect-modal")).ToBeVisibleAsync();
        Assert.Equal("none", await page.Locator(".components-rejoining-animation div").First.EvaluateAsync<string>("e => getComputedStyle(e).animationName"));

        var run = Directory.GetDirectories(Path.Combine(data, "runs")).Single();
        var metricsBefore = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Length;
        Assert.InRange(metricsBefore, 5, 11);

        await using var second = await AppServer.StartAsync(data);
        await page.GotoAsync(second.BaseUrl + "/training");
        var card = page.GetByTestId("training-run").First;
        await Expect(card.GetByTestId("run-status")).ToHaveTextAsync("completed", new() { Timeout = 180_000 });
        await Expect(card.GetByTestId("run-message")).ToContainTextAsync(new Regex(@"Continued after a restart from step (4|6|8|10)\. Finished at step 12"));

        // The metrics read as one run: every step once, in order (the lines after the last checkpoint were replaced).
        var steps = File.ReadAllLines(Path.Combine(run, "metrics.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), steps);
    }
}
