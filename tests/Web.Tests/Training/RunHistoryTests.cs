using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Planner.Llm;
using Planner.Web.Components.Pages.Training;
using Planner.Hosting.Training;
using Radzen;
using Radzen.Blazor;
using Planner.Files;

namespace Planner.Web.Tests.Training;

/// <summary>The runs history over run folders as earlier sessions of the app left them (run.json + metrics.jsonl).</summary>
public sealed class RunHistoryTests : BunitContext, IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "planner-history-tests", Guid.NewGuid().ToString("N"));
    private TrainingJobs jobs = default!;
    private LanguageModelRuntime runtime = default!;

    public async Task InitializeAsync()
    {
        var paths = new PlannerPaths(directory);
        WriteRun(paths, 1, status: 2, steps: 4, learningRate: 6e-4, seconds: 75, validationLoss: 6.5);
        WriteRun(paths, 2, status: 2, steps: 4, learningRate: 1e-3, seconds: 3725, validationLoss: 6.1);
        runtime = new LanguageModelRuntime(new ModelRegistry([paths.ExportedModelsDirectory]));
        jobs = new TrainingJobs(paths, new ModelExport(paths, runtime), NullLogger<TrainingJobs>.Instance);
        await jobs.StartAsync(CancellationToken.None);
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>("Radzen.createChart", _ => true).SetResult(new Radzen.Blazor.Rendering.Rect { Width = 600, Height = 260 });
        Services.AddRadzenComponents();
        Services.AddSingleton(jobs);
    }

    public new async Task DisposeAsync()
    {
        await jobs.StopAsync(CancellationToken.None);
        jobs.Dispose();
        await base.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    private static void WriteRun(PlannerPaths paths, int id, int status, int steps, double learningRate, double seconds, double validationLoss)
    {
        var run = Path.Combine(paths.DataDirectory, "runs", $"run-20261129-10000{id}-{id}");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "run.json"), JsonSerializer.Serialize(new
        {
            id,
            request = new { corpusDirectory = "/nowhere", corpusLabel = "sample documents", preset = "tiny", steps, batch = 1, learningRate },
            status,
            message = "Finished.",
            seconds,
        }));
        File.WriteAllLines(Path.Combine(run, "metrics.jsonl"), Enumerable.Range(1, steps).Select(step => step == steps
            ? $$"""{"step":{{step}},"trainLoss":{{9 - step}},"learningRate":0.0006,"tokensPerSecond":900,"valLoss":{{validationLoss}},"perplexity":{{Math.Exp(validationLoss)}}}"""
            : $$"""{"step":{{step}},"trainLoss":{{9 - step}},"learningRate":0.0006,"tokensPerSecond":900}"""));
        File.WriteAllBytes(Path.Combine(run, "weights.bin"), new byte[3 << 20]);
    }

    private IRenderedComponent<RunHistory> RenderHistory() =>
        Render<RunHistory>(ps => ps.Add(p => p.Runs, jobs.All.OrderByDescending(j => j.Id).ToList()));

    [Fact]
    public void Each_run_shows_its_status_duration_data_final_metrics_and_disk_usage()
    {
        var history = RenderHistory();
        var rows = history.FindAll("[data-testid=history-row]");
        Assert.Equal(["2", "1"], rows.Select(r => r.GetAttribute("data-run")));
        var first = rows[1];
        Assert.Equal("completed", first.QuerySelector("[data-testid=run-status]")!.TextContent);
        Assert.Equal("1:15", first.QuerySelector("[data-testid=run-duration]")!.TextContent);
        Assert.Equal("1:02:05", rows[0].QuerySelector("[data-testid=run-duration]")!.TextContent);
        Assert.Contains("sample documents", first.TextContent);
        Assert.Equal("validation loss 6.5, perplexity 665.1", first.QuerySelector("[data-testid=run-final]")!.TextContent);
        Assert.StartsWith("3 MB", first.QuerySelector("[data-testid=run-disk]")!.TextContent);
        Assert.Contains("6 MB on disk", history.Find("[data-testid=runs-disk]").TextContent);
    }

    [Fact]
    public void Ticking_two_runs_draws_both_curves_on_one_chart()
    {
        var history = RenderHistory();
        Assert.Empty(history.FindAll("[data-testid=run-comparison]"));
        history.Find("[data-run='2'] [data-testid=compare-run]").Change(true);
        history.Find("[data-run='1'] [data-testid=compare-run]").Change(true);
        var comparison = history.Find("[data-testid=run-comparison]");
        Assert.Contains("Run 2 (tiny, lr 0.001) against run 1 (tiny, lr 0.0006)", comparison.TextContent);
        var titles = history.FindComponents<RadzenLineSeries<LossChart.Point>>().Select(s => s.Instance.Title).ToList();
        Assert.Equal(["run 2 train loss", "run 2 validation loss", "run 1 train loss", "run 1 validation loss"], titles);
    }

    [Fact]
    public void Deleting_asks_first_then_removes_the_run_and_its_files()
    {
        var history = RenderHistory();
        var run = jobs.All.Single(j => j.Id == 1);
        history.Find("[data-run='1'] [data-testid=delete-run]").Click();
        Assert.Contains("Delete run 1 and its 3 MB?", history.Find("[data-run='1']").TextContent);
        Assert.True(Directory.Exists(run.Directory));

        history.Find("[data-run='1'] [data-testid=confirm-delete]").Click();
        Assert.False(Directory.Exists(run.Directory));
        Assert.Equal([2], jobs.All.Select(j => j.Id));
    }

    [Fact]
    public async Task Export_and_use_writes_the_chosen_weight_type_off_the_page_thread_and_makes_it_the_model()
    {
        var job = jobs.All.Single(j => j.Id == 2);
        using (var model = new Planner.Engine.Model.Gpt(new Planner.Engine.Model.GptConfig(Planner.Engine.Model.GptConfig.Gpt2VocabSize, 256, Layers: 1, Heads: 2, Embedding: 32), seed: 5))
        {
            var metadata = new Planner.Engine.Training.CheckpointMetadata(Planner.Engine.Training.CheckpointMetadata.LanguageModel, model.Config, 4, 6.1, 0, new Planner.Engine.Training.TrainingConfig());
            new Planner.Engine.Training.CheckpointStore().Save(Path.Combine(job.Directory, "best"), metadata, model);
        }
        var card = Render<RunCard>(ps => ps.Add(p => p.Job, job));
        Assert.Equal("Q8_0", card.Find("#export-dtype").GetAttribute("value")); // the default

        card.Find("#export-dtype").Change("F16");
        await card.Find("#export-use").ClickAsync(new());
        card.WaitForAssertion(() => Assert.Contains("-f16.gguf", card.Find("[data-testid=run-exported]").TextContent), TimeSpan.FromSeconds(30));
        Assert.EndsWith("-f16.gguf", job.ExportedModel);
        Assert.Equal(job.ExportedModel, runtime.ActivePath);
        Assert.Equal("F16", Planner.Llm.GgufReader.Read(job.ExportedModel!).Quantization);
        Assert.Empty(card.FindAll("#export-use")); // exported: the button is gone
    }
}
