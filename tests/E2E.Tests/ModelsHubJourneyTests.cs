using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

/// <summary>The Models page's "Get a model" against a hub-shaped server on 127.0.0.1 serving files the Engine made.</summary>
public sealed class ModelsHubJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_founder_lists_a_repository_downloads_a_gguf_cancels_resumes_and_can_use_it()
    {
        await using var hub = await HubTestServer.StartAsync();
        var hosted = hub.Add("acme/tiny-GGUF", "tiny-q8.gguf", await File.ReadAllBytesAsync(TinyModel.File));
        hosted.ChunkBytes = 256 * 1024;
        hosted.Gate = new SemaphoreSlim(2);
        var models = Built.NewTempDirectory("hub-models");
        await using var app = await AppServer.StartAsync(environment: new Dictionary<string, string>
        {
            ["Planner__ModelsDirectory"] = models,
            ["Planner__Hub__BaseUrl"] = hub.BaseUrl.ToString(),
        });
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 1000 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(app.BaseUrl + "/models");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("hub-message")).ToHaveCountAsync(0);
        Assert.Empty(hub.Requests); // nothing goes to the hub until the founder asks

        await page.FillAsync("#hub-repo", "acme/nothing");
        await page.ClickAsync("#hub-list");
        await Expect(page.GetByTestId("hub-message")).ToContainTextAsync("There is no repository acme/nothing");

        await page.FillAsync("#hub-repo", "acme/tiny-GGUF");
        await page.ClickAsync("#hub-list");
        await page.ClickAsync("[data-file='tiny-q8.gguf'] .hub-file-download");
        var download = page.Locator("[data-download='tiny-q8.gguf']");
        var partial = Path.Combine(models, ".downloads", $"{hosted.Sha256}.part");
        using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            while (!(File.Exists(partial) && new FileInfo(partial).Length == 2 * 256 * 1024)) await Task.Delay(20, limit.Token);
        }
        await download.Locator(".download-cancel").ClickAsync();
        await Expect(download).ToHaveAttributeAsync("data-status", "Cancelled");
        await Expect(download.Locator(".download-problem")).ToContainTextAsync("download again to resume");

        hosted.Gate = null;
        await download.Locator(".download-again").ClickAsync();
        await Expect(download).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 30_000 });
        await Expect(download.Locator(".download-status")).ToContainTextAsync("SHA-256 verified");
        Assert.Equal($"bytes={2 * 256 * 1024}-", hub.Requests.Last(r => r.Path.StartsWith("/cdn/", StringComparison.Ordinal)).Range);

        // The local models list scans again: the downloaded file is there, ready to use.
        await Expect(page.GetByTestId("models")).ToContainTextAsync("tiny-q8.gguf");
        var row = page.Locator("[data-model='tiny-q8.gguf']");
        await Expect(row).ToContainTextAsync("ready");
        // The only model is the active one by itself; otherwise the founder chooses it.
        if (await row.Locator(".use-model").CountAsync() > 0) await row.Locator(".use-model").ClickAsync();
        await Expect(row).ToContainTextAsync("active");
        await Screenshots.SaveAsync(page, "models-hub.png");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_pretrained_gpt2_from_the_recommended_list_becomes_a_training_base()
    {
        await using var hub = await HubTestServer.StartAsync();
        var weights = Path.Combine(Built.NewTempDirectory("hf-gpt2"), "model.safetensors");
        using (var model = new Engine.Model.Gpt(new Engine.Model.GptConfig(Engine.Model.GptConfig.Gpt2VocabSize, 256, Layers: 1, Heads: 2, Embedding: 32), seed: 4))
            Engine.Export.HuggingFaceGpt2.Save(model, weights);
        hub.Add("openai-community/gpt2", "model.safetensors", await File.ReadAllBytesAsync(weights));
        var models = Built.NewTempDirectory("hub-models");
        await using var app = await AppServer.StartAsync(environment: new Dictionary<string, string>
        {
            ["Planner__ModelsDirectory"] = models,
            ["Planner__Hub__BaseUrl"] = hub.BaseUrl.ToString(),
        });
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 1000 } });

        await page.GotoAsync(app.BaseUrl + "/models");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.ClickAsync("#hub-check");
        var gpt2 = page.Locator("[data-recommended='openai-community/gpt2']");
        await Expect(gpt2).ToContainTextAsync("for training");
        // The other recommendations are not on this hub: said so, not guessed.
        await Expect(page.Locator("[data-recommended='Qwen/Qwen2.5-0.5B-Instruct-GGUF']")).ToContainTextAsync("not on the hub");
        await gpt2.Locator(".recommended-download").ClickAsync();
        await Expect(page.Locator("[data-download='model.safetensors']")).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 30_000 });

        await page.GotoAsync(app.BaseUrl + "/training");
        // The form is prerendered: its options show before the page is live, and a choice made then is lost.
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        var pretrained = page.Locator("#train-base option", new() { HasText = "gpt2/model.safetensors" });
        await Expect(pretrained).ToHaveCountAsync(1, new() { Timeout = 20_000 });

        // A fine-tune of those weights on the sample documents, started and finished in the browser.
        await page.SelectOptionAsync("#train-data", "sample");
        await page.SelectOptionAsync("#train-base", (await pretrained.GetAttributeAsync("value"))!);
        await page.FillAsync("#train-steps", "2");
        await page.FillAsync("#train-batch", "1");
        await page.ClickAsync("#train-start");
        var run = page.GetByTestId("training-run").First;
        await Expect(run).ToContainTextAsync("from gpt2/model.safetensors", new() { Timeout = 20_000 });
        await Expect(run.GetByTestId("run-status")).ToHaveTextAsync("completed", new() { Timeout = 180_000 });
        await Expect(run.GetByTestId("run-numbers")).ToContainTextAsync("step 2/2");
    }
}
