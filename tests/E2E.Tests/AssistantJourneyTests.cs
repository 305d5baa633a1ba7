using System.Text.Json;
using System.Text.Json.Nodes;
using static Microsoft.Playwright.Assertions;

namespace Planner.E2E.Tests;

public sealed class AssistantJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static async Task<int> InitiativeCount(AppServer app)
    {
        using var http = new HttpClient();
        using var json = JsonDocument.Parse(await http.GetStringAsync(app.BaseUrl + "/export/json"));
        return json.RootElement.GetProperty("initiatives").GetArrayLength();
    }

    [Fact]
    public async Task A_founder_drafts_with_the_tiny_local_model_and_accepts_one_item_into_the_roadmap()
    {
        var models = Built.NewTempDirectory("models");
        TinyModel.Write(Path.Combine(models, "tiny-1024.gguf"), "tiny-e2e", context: 1024, seed: 12);
        await using var app = await AppServer.StartAsync(environment: new Dictionary<string, string> { ["Planner__ModelsDirectory"] = models });
        var before = await InitiativeCount(app);
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 1100 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(app.BaseUrl + "/draft");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.ClickAsync("#draft-go");
        await Expect(page.GetByTestId("draft-message")).ToHaveTextAsync("Write a brief first: what should the roadmap achieve?");

        await page.FillAsync("#draft-brief", "Win mid-size accounting firms with approvals and better bank feeds.");
        await page.FillAsync("#draft-items", "2");
        await page.FillAsync("#draft-tokens", "450");
        await page.ClickAsync("#draft-go");
        await Expect(page.GetByTestId("draft-reply")).ToContainTextAsync("{\"initiatives\": [", new() { Timeout = 60_000 });
        var rows = page.GetByTestId("draft-items").Locator("tbody tr");
        await Expect(rows.First).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await Expect(page.GetByTestId("draft-impact")).ToContainTextAsync("Added: d1 (weeks ");
        await Expect(page.Locator("#draft-go")).ToBeVisibleAsync(new() { Timeout = 90_000 }); // summary finished

        // Keep only the first drafted item.
        var count = await rows.CountAsync();
        for (var i = 1; i < count; i++) await rows.Nth(i).Locator("input[type=checkbox]").UncheckAsync();
        await Expect(page.Locator("#draft-accept")).ToHaveTextAsync("Accept 1 selected into the roadmap");
        var title = (await rows.First.Locator("strong").TextContentAsync())!;
        await page.ClickAsync("#draft-accept");
        await Expect(page.GetByTestId("draft-message")).ToContainTextAsync("The previous roadmap is kept as the version 'Before accepting a draft'");
        await Screenshots.SaveAsync(page, "draft.png");

        Assert.Equal(before + 1, await InitiativeCount(app));
        using var http = new HttpClient();
        // Compared as parsed text (the export writes non-ASCII as is, a serializer may escape it), whitespace collapsed
        // as HTML shows it: the random model's titles are arbitrary text.
        static string Collapsed(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        using var exported = JsonDocument.Parse(await http.GetStringAsync(app.BaseUrl + "/export/json"));
        var titles = exported.RootElement.GetProperty("initiatives").EnumerateArray().Select(i => Collapsed(i.GetProperty("title").GetString()!)).ToList();
        Assert.Contains(Collapsed(title), titles);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_founder_uploads_a_document_asks_in_chat_and_sees_a_streamed_answer_citing_it()
    {
        await using var server = await OpenAiTestServer.StartAsync();
        var data = Built.NewTempDirectory("web");
        // The app talks to an OpenAI-compatible server (here a scripted one on 127.0.0.1) with native tool calls.
        var settings = new JsonObject
        {
            ["backend"] = "OpenAiCompatible",
            ["endpoint"] = new JsonObject { ["baseUrl"] = server.BaseUrl.ToString(), ["model"] = "planner-e2e" },
        };
        await File.WriteAllTextAsync(Path.Combine(data, "llm-settings.json"), settings.ToJsonString());
        await using var app = await AppServer.StartAsync(data);
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 1100 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(app.BaseUrl + "/documents");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        var notes = Path.Combine(Built.NewTempDirectory("upload"), "board-update.md");
        await File.WriteAllTextAsync(notes, "# Board update\n\nThe board wants usage-based billing piloted with three accounting firms in March.\n");
        await page.SetInputFilesAsync("#upload-documents", notes);
        await Expect(page.GetByTestId("upload-messages")).ToContainTextAsync("board-update.md: added");

        server.EnqueueToolCall("documents-search_documents", """{"query": "board usage-based billing pilot"}""");
        server.EnqueueText("The board wants a usage-based billing pilot with three firms in March [1].");
        await page.GotoAsync(app.BaseUrl + "/chat");
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.FillAsync("#chat-question", "What does the board want on billing?");
        await page.ClickAsync("#chat-send");
        await Expect(page.GetByTestId("chat-answer").Last).ToContainTextAsync("usage-based billing pilot with three firms in March [1]", new() { Timeout = 30_000 });
        var citations = page.GetByTestId("chat-citations").Last;
        await Expect(citations.Locator("li").First).ToContainTextAsync("board-update.md");
        await citations.Locator("summary").First.ClickAsync();
        await Expect(citations.Locator("li").First).ToContainTextAsync("three accounting firms in March");
        Assert.True(server.Requests[^1].Streamed);
        await Screenshots.SaveAsync(page, "chat.png");

        // The history survives a reload, and Clear empties it.
        await page.ReloadAsync();
        await Expect(page.GetByTestId("chat-answer")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.ClickAsync("#chat-clear");
        await Expect(page.GetByTestId("chat-answer")).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }
}
