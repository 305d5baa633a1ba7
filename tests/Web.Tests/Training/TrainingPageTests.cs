using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Planner.Llm;
using Planner.Persistence;
using Planner.Web.Components.Pages.Training;
using Planner.Web.Components.Shared;
using Planner.Hosting.Training;
using Planner.Engine.Native;
using Planner.Engine.Training;
using Radzen;
using Planner.Files;

namespace Planner.Web.Tests.Training;

/// <summary>The Training page and the starter-model offer over a real data directory: a SQLite library holding the
/// sample documents, the reviews and an unlabelled CSV, and the real training service.</summary>
public sealed class TrainingPageTests : BunitContext, IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "planner-training-page-tests", Guid.NewGuid().ToString("N"));
    private TrainingJobs jobs = default!;

    private static string Sample => Path.Combine(AppContext.BaseDirectory, "sample");

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [PlannerPaths.DataDirectoryKey] = directory,
            [PlannerPaths.ModelsDirectoryKey] = Path.Combine(directory, "models-in"),
        }).Build();
        Services.AddPlannerPersistence(configuration);
        Services.AddSingleton(sp => ModelRegistry.For(sp.GetRequiredService<PlannerPaths>()));
        Services.AddSingleton(sp => new LlmSettingsStore(sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PlannerDbContext>>(), sp.GetRequiredService<PlannerPaths>()));
        Services.AddSingleton<LanguageModelRuntime>();
        Services.AddSingleton<ModelExport>();
        Services.AddSingleton<TrainingJobs>();
        Services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        Services.AddRadzenComponents();
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>("Radzen.createChart", _ => true).SetResult(new Radzen.Blazor.Rendering.Rect { Width = 600, Height = 220 });

        await Services.GetRequiredService<PlannerDatabase>().InitializeAsync(seedSample: false);
        var library = Services.GetRequiredService<DocumentLibrary>();
        foreach (var file in Directory.GetFiles(Path.Combine(Sample, "docs"), "*.md").Order(StringComparer.Ordinal).Append(Path.Combine(Sample, "reviews.csv")))
            Assert.True((await library.AddAsync(Path.GetFileName(file), await File.ReadAllBytesAsync(file), file.EndsWith(".csv", StringComparison.Ordinal) ? "text" : null)).Ok);
        Assert.True((await library.AddAsync("unlabelled.csv", "id,text\n1,Great app for our firm\n2,Import broke again\n3,Love the reminders\n"u8.ToArray(), "text")).Ok);
        jobs = Services.GetRequiredService<TrainingJobs>();
        await jobs.StartAsync(CancellationToken.None);
    }

    public new async Task DisposeAsync()
    {
        foreach (var job in jobs.All) jobs.Cancel(job);
        await jobs.StopAsync(CancellationToken.None);
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private Task Until(Func<bool> condition)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(TrainingJob _) { if (condition()) done.TrySetResult(); }
        jobs.Changed += Check;
        Check(null!);
        return done.Task.WaitAsync(TimeSpan.FromMinutes(3));
    }

    [Fact]
    public void The_form_counts_the_data_tokens_and_estimates_the_time_saying_where_the_speed_comes_from()
    {
        var page = Render<TrainingForm>();
        Assert.Matches(@"All your documents \([\d,]+ tokens\)", page.Find("#train-data").TextContent);
        var estimate = page.Find("[data-testid=train-estimate]").TextContent;
        Assert.Contains("4 layers × 256 wide, context 256", estimate);
        Assert.Contains($"{TrainingDefaults.Steps} steps × 4 × 256 tokens: about", estimate); // the shared defaults, as planner train uses
        Assert.Contains("at 367 tokens/s (typical for tiny on 2 CPU cores, from the engine benchmark)", estimate);
    }

    [Fact]
    public void The_form_says_which_precision_auto_trains_in_on_this_cpu_and_warns_when_bfloat16_would_be_slow()
    {
        var page = Render<TrainingForm>();
        var auto = PrecisionChoice.Resolve("auto", CpuFeatures.Current, TorchSharp.DeviceType.CPU);
        Assert.Equal("auto", page.Instance.Request().Precision);
        Assert.Equal($"auto ({PrecisionChoice.Describe(auto.Precision)} on this CPU)", page.Find("#train-precision option[value=auto]").TextContent);
        Assert.Contains(auto.Describe(), page.Find("[data-testid=train-precision-choice]").TextContent);

        page.Find("#train-precision").Change("bf16");
        Assert.Equal("bf16", page.Instance.Request().Precision);
        Assert.Contains("bfloat16 mixed precision (as asked)", page.Find("[data-testid=train-precision-choice]").TextContent);
        if (CpuFeatures.Current.HasBfloat16) Assert.Empty(page.FindAll("[data-testid=train-precision-warning]"));
        else Assert.Contains("this CPU has no AVX-512 BF16 or AMX, so bfloat16 runs correctly but far slower than float32 here",
            page.Find("[data-testid=train-precision-warning]").TextContent);
    }

    [Fact]
    public void A_resized_preset_is_estimated_queued_and_named_with_its_shape_and_a_bad_one_queues_nothing()
    {
        var page = Render<TrainingForm>();
        Assert.Equal(("4", "256", "4"), (page.Find("#train-layers").GetAttribute("placeholder"), page.Find("#train-width").GetAttribute("placeholder"),
            page.Find("#train-heads").GetAttribute("placeholder"))); // the tiny preset's, kept while empty

        page.Find("#train-width").Input("48");
        Assert.Contains("The width must be a multiple of 32 from 32 to 2048.", page.Find("[data-testid=train-problems]").TextContent);
        page.Find("#train-width").Input("96");
        page.Find("#train-heads").Input("5");
        Assert.Contains("A width of 96 does not divide into 5 heads.", page.Find("[data-testid=train-problems]").TextContent);
        page.Find("#train-start").Click();
        Assert.Empty(jobs.All);

        page.Find("#train-layers").Input("1");
        page.Find("#train-width").Input("32");
        page.Find("#train-heads").Input("2");
        Assert.Empty(page.FindAll("[data-testid=train-problems]"));
        Assert.Contains("1 layer × 32 wide, context 256", page.Find("[data-testid=train-estimate]").TextContent);
        page.Find("#train-start").Click();
        var request = Assert.Single(jobs.All).Request;
        Assert.Equal((1, 32, 2), (request.Layers, request.Width, request.Heads));
        Assert.Equal("tiny: 1 layer, 32 wide, 2 heads", request.ShapeLabel);
    }

    [Fact]
    public void Choosing_no_documents_shows_the_problem_and_start_queues_nothing()
    {
        var page = Render<TrainingForm>();
        page.Find("#train-data").Change("pick");
        Assert.Contains("Choose at least one document to train on.", page.Find("[data-testid=train-problems]").TextContent);
        page.Find("#train-start").Click();
        Assert.Empty(jobs.All);

        page.Find("[data-testid=pick-doc][data-doc='pricing-notes.md']").Change(true);
        Assert.Empty(page.FindAll("[data-testid=train-problems]"));
        Assert.Contains("tokens of data", page.Find("[data-testid=train-estimate]").TextContent);
    }

    [Fact]
    public void The_classifier_task_offers_the_label_columns_and_an_unlabelled_csv_says_what_to_do()
    {
        var page = Render<TrainingForm>();
        page.Find("#train-task").Change(nameof(TrainingTask.Classifier));
        var reviews = page.FindAll("#train-reviews option").Single(o => o.TextContent.StartsWith("reviews.csv", StringComparison.Ordinal)).GetAttribute("value")!;
        page.Find("#train-reviews").Change(reviews);
        // A classifier's length, batch and learning rate come from its data unless the founder sets them.
        Assert.Contains("from the data: up to 20 epochs", page.Find("[data-testid=train-auto]").TextContent);
        Assert.Contains("domain-adaptive pretraining (the sentence encoder distilled) on the review texts first", page.Find("[data-testid=train-auto]").TextContent);
        Assert.Equal((null, null, null), (page.Instance.Request().Steps, page.Instance.Request().Batch, page.Instance.Request().LearningRate));
        Assert.True(page.Instance.Request().DomainPretraining);
        Assert.Equal(DomainPretrainingMethod.Auto, page.Instance.Request().DomainMethod);
        // The method can be chosen; the line says which one the run will use.
        page.Find("#train-domain-method").Change(nameof(DomainPretrainingMethod.LanguageModel));
        Assert.Equal(DomainPretrainingMethod.LanguageModel, page.Instance.Request().DomainMethod);
        Assert.Contains("domain-adaptive pretraining (language-model training) on the review texts first", page.Find("[data-testid=train-auto]").TextContent);
        page.Find("#train-domain-method").Change(nameof(DomainPretrainingMethod.Auto));
        // The library's documents join the language-model training only when asked for (measured to cost on the sample).
        Assert.Null(page.Instance.Request().DomainDocuments);
        page.Find("#train-domain-documents").Change(true);
        Assert.EndsWith("documents", page.Instance.Request().DomainDocuments);
        Assert.Contains("domain-adaptive pretraining (the sentence encoder distilled) on the review texts and documents first", page.Find("[data-testid=train-auto]").TextContent);
        page.Find("#train-domain-documents").Change(false);
        page.Find("#train-domain").Change(false);
        Assert.False(page.Instance.Request().DomainPretraining);
        Assert.True(page.Find("#train-domain-method").HasAttribute("disabled"));
        Assert.Contains("from scratch (no domain-adaptive pretraining)", page.Find("[data-testid=train-auto]").TextContent);
        page.Find("#train-steps").Input("40");
        Assert.Equal(40, page.Instance.Request().Steps);
        Assert.Contains("40 steps × 8 × 256 tokens", page.Find("[data-testid=train-estimate]").TextContent);
        var labels = page.FindAll("#train-labels option").Select(o => o.TextContent).ToList();
        Assert.Contains("sentiment", labels);
        Assert.Contains("category", labels);
        Assert.DoesNotContain("id", labels);
        Assert.DoesNotContain("text", labels);

        var unlabelled = page.FindAll("#train-reviews option").Single(o => o.TextContent.StartsWith("unlabelled.csv", StringComparison.Ordinal)).GetAttribute("value")!;
        page.Find("#train-reviews").Change(unlabelled);
        var problem = page.Find("[data-testid=train-problems]").TextContent;
        Assert.Contains("unlabelled.csv has no labels to learn from", problem);
        Assert.Contains("classify them with an existing classifier (Roadmap → Evidence)", problem);
    }

    [Fact]
    public async Task Two_tabs_pressing_start_give_one_run_and_one_queued_shown_in_both()
    {
        var first = Render<TrainingPage>();
        var second = Render<TrainingPage>();
        foreach (var tab in new[] { first, second })
        {
            tab.Find("#train-data").Change("sample");
            tab.Find("#train-steps").Input("40");
            tab.Find("#train-batch").Input("1");
        }
        // Awaited: a plain Click() queues behind a render the worker's thread may be doing, so it can land after the wait below.
        await first.Find("#train-start").ClickAsync(new MouseEventArgs());
        await second.Find("#train-start").ClickAsync(new MouseEventArgs());
        await Until(() => jobs.All.Any(j => j.Status == TrainingJobStatus.Running));

        Assert.Equal(2, jobs.All.Count);
        foreach (var tab in new[] { first, second })
        {
            tab.WaitForAssertion(() =>
            {
                var statuses = tab.FindAll("[data-testid=training-run] [data-testid=run-status]").Select(s => s.TextContent).ToList();
                Assert.Equal(["queued", "running"], statuses);
                Assert.Equal("position 1 in the queue", tab.Find("[data-testid=run-queue]").TextContent);
            });
        }
    }

    [Fact]
    public void With_no_model_the_offer_names_both_ways_and_its_button_queues_a_starter_run_that_exports_when_done()
    {
        var offer = Render<StarterModelOffer>();
        var text = offer.Find("[data-testid=starter-offer]").TextContent;
        Assert.Contains("No model yet.", text);
        Assert.Contains(Path.Combine(directory, "models-in"), text);
        Assert.Contains("your documents", text); // the library holds the sample documents: more than enough text

        offer.Find("#train-starter").Click();
        var job = Assert.Single(jobs.All);
        Assert.True(job.Request.ExportWhenDone);
        Assert.Equal((StarterModel.Preset, 256, StarterModel.Steps), (job.Request.Preset, job.Request.Context, job.Request.StepsOrDefault));
        offer.WaitForAssertion(() => Assert.Contains("Training a starter model", offer.Find("[data-testid=starter-progress]").TextContent));
        jobs.Cancel(job);
    }

    [Fact]
    public void A_page_that_needs_a_model_shows_one_offer_with_all_three_ways_and_no_raw_markup_when_there_is_none()
    {
        var settings = Services.GetRequiredService<LlmSettingsStore>();
        var backends = new ChatBackendProvider(Services.GetRequiredService<LanguageModelRuntime>(), settings, OpenAiCompatibilityHandler.CreateClient());
        Assert.Null(backends.Current(out var problem));

        var page = Render<ModelNeeded>(p => p.Add(c => c.Problem, problem!).Add(c => c.TestId, "draft-no-model"));

        Assert.Empty(page.FindAll("[data-testid=draft-no-model]")); // not a second box beside the offer
        var offer = Assert.Single(page.FindAll(".alert"));
        Assert.Equal("starter-offer", offer.GetAttribute("data-testid"));
        Assert.DoesNotContain("`", offer.TextContent);
        Assert.Contains(Path.Combine(directory, "models-in"), offer.TextContent);
        Assert.Equal("models", page.Find("[data-testid=offer-models-page]").GetAttribute("href"));
        Assert.NotNull(page.Find("#train-starter"));

        // An endpoint chosen but not set up is that problem, said once, with the picker to choose another backend.
        settings.Update(s => s with { Backend = ChatBackendKind.OpenAiCompatible });
        Assert.Null(backends.Current(out problem));
        page.Render(p => p.Add(c => c.Problem, problem!));
        Assert.Contains("The OpenAI-compatible endpoint is not set up", page.Find("[data-testid=draft-no-model]").TextContent);
        Assert.Single(page.FindAll("[data-testid=starter-offer]")); // still no model file: the offer stays
    }

    [Fact]
    public async Task Once_the_starter_model_is_exported_the_page_is_told_so_it_can_use_it_without_a_reload()
    {
        var sample = Path.Combine(Path.GetDirectoryName(PlannerDatabase.SampleRoadmapPath)!, "docs");
        // One layer 32 wide rather than the preset's four 256 wide: the page is told the same way, many times sooner.
        var job = jobs.Enqueue(new TrainingRequest(sample, "the sample company's documents", StarterModel.Preset, 2, 1, 1e-3)
            { Context = 256, ExportWhenDone = true, Layers = 1, Width = 32, Heads = 2 });
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var offer = Render<StarterModelOffer>(p => p.Add(c => c.Ready, () => ready.TrySetResult()));
        Assert.Contains("Training a starter model", offer.Find("[data-testid=starter-progress]").TextContent);

        await ready.Task.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(File.Exists(job.ExportedModel), job.Message);
        offer.WaitForAssertion(() => Assert.Contains("Starter model ready.", offer.Find("[data-testid=starter-ready]").TextContent));
    }
}
