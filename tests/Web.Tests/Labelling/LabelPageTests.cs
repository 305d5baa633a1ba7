using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Planner.Documents;
using Planner.Hosting.Evidence;
using Planner.Hosting.Training;
using Planner.Insights.Labelling;
using Planner.Llm;
using Planner.Persistence;
using Planner.Web.Components.Pages.Labelling;
using Planner.Web.Services;

namespace Planner.Web.Tests.Labelling;

/// <summary>The Label page over a real library, label store and training queue (not started: a queued run is asserted,
/// never trained).</summary>
public sealed class LabelPageTests : SampleStoreContext, IDisposable
{
    private DocumentIndex? index;
    private ReviewLabelStore labels = default!;
    private TrainingJobs jobs = default!;

    private static readonly string[] Texts =
    [
        "The import broke again and support took days.", "Reminders save us hours every week.", "Sync failed twice this month.",
        "Love the new dashboard.", "Export to Excel crashed.", "Great onboarding for our clients.", "Pricing page is confusing.",
        "The mobile app is fast now.", "Bank feed stopped updating.", "Our team adopted it in a day.",
    ];

    private async Task UseAsync(string csv)
    {
        index = new DocumentIndex(Path.Combine(Paths.DataDirectory, "index"));
        var library = new DocumentLibrary(Factory, index, Paths, TimeProvider.System);
        Assert.True((await library.AddAsync("reviews.csv", System.Text.Encoding.UTF8.GetBytes(csv), "text")).Ok);
        labels = new ReviewLabelStore(Factory, TimeProvider.System);
        var registry = new ModelRegistry([Path.Combine(Paths.DataDirectory, "models")]);
        jobs = new TrainingJobs(Paths, new ModelExport(Paths, new LanguageModelRuntime(registry)), NullLogger<TrainingJobs>.Instance);
        Services.AddSingleton(new ReviewEvidenceService(Paths, library, Store, Initiatives));
        Services.AddSingleton(labels);
        Services.AddSingleton(new ReviewLabelling(Paths, library, labels, jobs));
        Services.AddScoped<CurrentWorkspace>();
        server = await OpenAiTestServer.StartAsync();
        Services.AddSingleton<IChatBackendProvider>(new ServerBackend(new ChatBackend(
            ChatBackendProvider.Create(new OpenAiEndpointSettings { BaseUrl = server.BaseUrl.ToString(), Model = "labeller-7b" }, http),
            ChatBackendKind.OpenAiCompatible, "labeller-7b", 4096)));
        Services.AddSingleton(new LanguageModelRuntime(registry));
        Services.AddSingleton(new Planner.Assistant.Labelling.ZeroShotLabeller(Planner.Assistant.PromptLibrary.Load(Planner.Assistant.PromptLibrary.DefaultFolder)));
    }

    private OpenAiTestServer? server;
    private readonly HttpClient http = OpenAiCompatibilityHandler.CreateClient();

    /// <summary>The chat backend the founder chose: here an OpenAI-compatible server on 127.0.0.1.</summary>
    private sealed class ServerBackend(ChatBackend backend) : IChatBackendProvider
    {
        public ChatBackend? Current(out string? problem)
        {
            problem = null;
            return backend;
        }
    }

    private static string Csv(IEnumerable<string> texts) => "id,text\n" + string.Concat(texts.Select((t, i) => $"r{i + 1},\"{t}\"\n"));

    private IRenderedComponent<LabelPage> Start(string column = "urgency", string extra = "high, low")
    {
        var page = Render<LabelPage>();
        page.Find("#label-column").Change(column);
        page.Find("#label-set").Change(extra);
        page.Find("#label-start").Click();
        page.WaitForElement("[data-testid=label-card]", TimeSpan.FromSeconds(30)); // the library is read off the circuit's thread
        return page;
    }

    /// <summary>Presses a key on the review card and waits for its handler (and the label's save) to finish.</summary>
    private static Task Key(IRenderedComponent<LabelPage> page, string key) =>
        page.Find("[data-testid=label-card]").KeyDownAsync(new KeyboardEventArgs { Key = key });

    private static string Shown(IRenderedComponent<LabelPage> page) => page.Find("[data-testid=label-review-id]").TextContent.Trim();

    [Fact]
    public async Task Keys_label_skip_and_undo_the_labels_are_kept_in_the_workspace_and_suggestions_then_ask_the_least_certain_first()
    {
        await UseAsync(Csv(Texts));
        var page = Start();
        Assert.Equal("0 labelled, 10 to go.", page.Find("[data-testid=label-progress]").TextContent.Trim());
        Assert.Equal(["1 high", "2 low"], page.FindAll("[data-testid=label-button]").Select(b => b.TextContent.Trim()));

        await Key(page, "1");                       // r1 high
        Assert.Equal("r2", Shown(page));
        await Key(page, "s");                       // r2 to the end
        Assert.Equal("r3", Shown(page));
        await Key(page, "u");                       // the skip undone: r2 again
        Assert.Equal("r2", Shown(page));
        await Key(page, "2");                       // r2 low
        await Key(page, "1");                       // r3 high
        await Key(page, "u");                       // r3's label undone
        Assert.Equal("r3", Shown(page));
        Assert.Equal("2 labelled, 8 to go.", page.Find("[data-testid=label-progress]").TextContent.Trim());
        await Key(page, "1");                       // r3 high
        await Key(page, "9");                       // no ninth label: nothing happens
        Assert.Equal("r4", Shown(page));

        var saved = await labels.ListAsync(Workspace.Name, "reviews.csv", "urgency");
        Assert.Equal([("high", LabelSource.Founder), ("low", LabelSource.Founder), ("high", LabelSource.Founder)],
            Texts[..3].Select(t => saved.Single(l => l.ReviewKey == ReviewKey.Of(t))).Select(l => (l.Label, l.SetBy)));

        // r4 low: the fifth label given (one of them undone) refreshes the suggestions, from the four labels kept.
        await Key(page, "2");
        page.WaitForAssertion(() => Assert.StartsWith("Asked least certain first (active learning)", page.Find("[data-testid=label-order]").TextContent.Trim()), TimeSpan.FromSeconds(30));
        var suggestion = page.Find("[data-testid=label-suggestion]").TextContent;
        Assert.Matches(@"^Suggestion: (high|low) \(confidence \d+%, from the pretrained encoder trained on 4 labels\)$", System.Text.RegularExpressions.Regex.Replace(suggestion.Trim(), @"\s+", " "));
    }

    [Fact]
    public async Task Undoing_a_label_given_over_the_chat_models_gives_the_models_label_back_with_its_confidence_and_margin()
    {
        await UseAsync(Csv(Texts));
        var key = ReviewKey.Of(Texts[0]);
        Assert.True((await labels.SetAsync(Workspace.Name, "reviews.csv", "urgency", key, "low", 0, LabelSource.Model, 0.7, "labeller-7b", margin: 0.4)).Ok);
        var page = Start();
        Assert.Equal("r1", Shown(page)); // the only review with a margin: asked first
        await Key(page, "1");             // high, over the model's low
        Assert.Equal(("high", LabelSource.Founder), (await labels.ListAsync(Workspace.Name, "reviews.csv", "urgency")).Select(l => (l.Label, l.SetBy)).Single());
        await Key(page, "u");
        var back = Assert.Single(await labels.ListAsync(Workspace.Name, "reviews.csv", "urgency"));
        Assert.Equal(("low", LabelSource.Model, 0.7, "labeller-7b", 0.4), (back.Label, back.SetBy, back.Confidence, back.Model, back.Margin));
        Assert.Equal("r1", Shown(page));
    }

    [Fact]
    public async Task Retrain_refuses_one_class_and_queues_a_classifier_run_on_the_exported_labels()
    {
        await UseAsync(Csv(Texts));
        var page = Start();
        await Key(page, "1");
        await Key(page, "1");
        page.Find("#label-retrain").Click();
        page.WaitForAssertion(() => Assert.Contains("Every labelled review has the label 'high'", page.Find("[data-testid=label-error]").TextContent), TimeSpan.FromSeconds(30));
        Assert.Contains("Nothing was trained.", page.Find("[data-testid=label-error]").TextContent);
        await Key(page, "2");
        page.Find("#label-retrain").Click();
        page.WaitForAssertion(() => Assert.Contains("'low' has only one example", page.Find("[data-testid=label-error]").TextContent), TimeSpan.FromSeconds(30));
        Assert.Empty(jobs.All);

        await Key(page, "2");
        page.Find("#label-retrain").Click();
        page.WaitForAssertion(() => Assert.StartsWith("Queued classifier run 1 on the 'urgency' labels of reviews.csv.", page.Find("[data-testid=label-retrained]").TextContent.Trim()), TimeSpan.FromSeconds(30));
        var job = Assert.Single(jobs.All);
        var exported = Assert.Single(Directory.GetFiles(Path.Combine(Paths.DataDirectory, "labels")));
        var (rows, _) = ColumnLabels.Read(await File.ReadAllBytesAsync(exported), "x.csv", "urgency");
        Assert.Equal(["high", "high", "low", "low", "", "", "", "", "", ""], rows!.Select(r => r.Label));
    }

    [Fact]
    public async Task Near_duplicate_labels_are_warned_and_a_megabyte_review_is_cut_for_display_and_labelled_whole()
    {
        var huge = string.Concat(Enumerable.Repeat("The import broke again. ", 1024 * 1024 / 24 + 1)).Trim();
        await UseAsync(Csv([huge, .. Texts[1..3]]));
        var page = Start(extra: "High, high , low");

        Assert.Contains("'High' and 'high' look like one class spelt two ways", page.Find("[data-testid=label-warning]").TextContent);
        Assert.Equal(LabelPage.MaxDisplayChars + 1, page.Find("[data-testid=label-review-text]").TextContent.Length);
        Assert.Contains($"Shown: the first 2,000 of {huge.Length:N0} characters", page.Find("[data-testid=label-review-cut]").TextContent.Replace('\u202F', ','));
        await Key(page, "3");
        Assert.Equal("low", Assert.Single(await labels.ListAsync(Workspace.Name, "reviews.csv", "urgency")).Label);
        Assert.Equal(ReviewKey.Of(huge), Assert.Single(await labels.ListAsync(Workspace.Name, "reviews.csv", "urgency")).ReviewKey);
    }

    [Fact]
    public async Task Two_tabs_labelling_one_review_the_last_write_wins_and_each_tab_is_told()
    {
        await UseAsync(Csv(Texts));
        var first = Start();
        var second = Start();

        await Key(first, "1");                      // tab 1: r1 high
        second.WaitForAssertion(() => Assert.Equal("Review r1 was labelled 'high' in another tab.", second.Find("[data-testid=label-notice]").TextContent.Trim()), TimeSpan.FromSeconds(30));
        Assert.Equal("r2", Shown(second));    // tab 2 no longer asks about r1
        Assert.Equal("1 labelled, 9 to go.", second.Find("[data-testid=label-progress]").TextContent.Trim());

        await Key(first, "u");                      // tab 1 takes its label back: r1 is open again in both tabs
        second.WaitForAssertion(() => Assert.Equal("Review r1: its label 'high' was removed in another tab.", second.Find("[data-testid=label-notice]").TextContent.Trim()), TimeSpan.FromSeconds(30));
        Assert.Equal("r1", Shown(first));

        // Another instance of the app (or the command line) labels r1 low; its store's news does not reach this process.
        var elsewhere = new ReviewLabelStore(Factory, TimeProvider.System);
        Assert.True((await elsewhere.SetAsync(Workspace.Name, "reviews.csv", "urgency", ReviewKey.Of(Texts[0]), "low", 0)).Ok);
        await Key(first, "1");                      // tab 1, still on what it read, labels r1 high: the later write wins, and says so
        Assert.Equal("This review had been labelled 'low' elsewhere (another tab or the command line) since you opened it; your 'high' replaced it.",
            first.Find("[data-testid=label-notice]").TextContent.Trim());
        Assert.Equal("high", Assert.Single(await labels.ListAsync(Workspace.Name, "reviews.csv", "urgency")).Label);
    }

    [Fact]
    public async Task The_chat_model_suggests_labels_kept_as_its_own_without_a_confidence_it_cannot_know()
    {
        await UseAsync(Csv(Texts));
        server!.EnqueueText("""{"label": "high"}""");
        server.FallbackText = """{"label": "low"}""";
        var page = Start();
        await Key(page, "1");                 // r1 high, by the founder

        page.Find("#label-ask-model").Click();
        page.WaitForAssertion(() => Assert.Equal("labeller-7b suggested labels for 9 reviews.", page.Find("[data-testid=label-notice]").TextContent.Trim()), TimeSpan.FromSeconds(30));
        Assert.Equal("Suggestion: high (confidence unknown, from the chat model labeller-7b)",
            System.Text.RegularExpressions.Regex.Replace(page.Find("[data-testid=label-suggestion]").TextContent.Trim(), @"\s+", " "));
        Assert.Equal("1 labelled, 9 to go.", page.Find("[data-testid=label-progress]").TextContent.Trim());
        var saved = await labels.ListAsync(Workspace.Name, "reviews.csv", "urgency");
        Assert.Equal(10, saved.Count);
        Assert.Equal(9, saved.Count(l => l.SetBy == LabelSource.Model && l.Model == "labeller-7b" && l.Confidence is null));
        Assert.Equal("high", saved.Single(l => l.SetBy == LabelSource.Founder).Label);
        // The few-shot example is the founder's label.
        Assert.Contains($"Review: {Texts[0]}\nLabel: high", server.Requests[0].Messages[^1]!["content"]!.GetValue<string>());
    }

    public new void Dispose()
    {
        if (server is not null) server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        http.Dispose();
        index?.Dispose();
        base.Dispose();
    }
}
