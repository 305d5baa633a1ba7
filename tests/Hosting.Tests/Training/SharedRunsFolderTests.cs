using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Planner.Files;
using Planner.Hosting.Training;
using Planner.Llm;

namespace Planner.Hosting.Tests.Training;

/// <summary>Two training queues on one data directory, as two web apps on one PostgreSQL have: each run is trained once,
/// by whichever takes its lease, and the other shows it, can cancel it, and continues it when the first stops.
/// (The same with two real app processes and a kill: E2E MultiInstanceTests.)</summary>
public sealed class SharedRunsFolderTests : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private readonly List<(TrainingJobs Jobs, LanguageModelRuntime Runtime)> instances = [];

    private static string SampleDocs => Path.Combine(AppContext.BaseDirectory, "sample", "docs");

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task<TrainingJobs> StartInstanceAsync()
    {
        var paths = new PlannerPaths(folder.Path) { ModelsDirectory = folder.File("models-in") };
        var runtime = new LanguageModelRuntime(new ModelRegistry([paths.ModelsDirectory, paths.ExportedModelsDirectory]));
        var jobs = new TrainingJobs(paths, new ModelExport(paths, runtime), NullLogger<TrainingJobs>.Instance)
        {
            LookAroundInterval = TimeSpan.FromMilliseconds(100),
        };
        instances.Add((jobs, runtime));
        await jobs.StartAsync(CancellationToken.None);
        return jobs;
    }

    public async Task DisposeAsync()
    {
        foreach (var (jobs, runtime) in instances)
        {
            await jobs.StopAsync(CancellationToken.None);
            jobs.Dispose();
            runtime.Dispose();
        }
        folder.Dispose();
    }

    /// <summary>The run in <paramref name="directory"/> as <paramref name="jobs"/> lists it, once it meets the condition.</summary>
    private static async Task<TrainingJob> Until(TrainingJobs jobs, string directory, Func<TrainingJob, bool> condition)
    {
        var done = new TaskCompletionSource<TrainingJob>(TaskCreationOptions.RunContinuationsAsynchronously);
        TrainingJob? Listed() => jobs.All.FirstOrDefault(j => j.Directory == directory);
        void Check() { if (Listed() is { } job && condition(job)) done.TrySetResult(job); }
        jobs.Changed += _ => Check();
        Check();
        try
        {
            return await done.Task.WaitAsync(TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException)
        {
            var job = Listed();
            throw new TimeoutException(job is null
                ? "The run is not listed."
                : $"The run is listed as {job.Status} (elsewhere: {job.Elsewhere}) at step {job.Latest?.Step}: {job.Message}");
        }
    }

    private static List<long> LoggedSteps(string runDirectory) =>
        [.. File.ReadAllLines(Path.Combine(runDirectory, "metrics.jsonl")).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt64())];

    [Fact]
    public async Task A_run_queued_on_one_instance_is_trained_once_and_the_other_shows_it_finished()
    {
        var first = await StartInstanceAsync();
        var second = await StartInstanceAsync();
        var trainedBy = new ConcurrentDictionary<TrainingJobs, bool>();
        foreach (var instance in new[] { first, second })
            instance.Changed += job => { if (job is { Status: TrainingJobStatus.Running, Elsewhere: false }) trainedBy[instance] = true; };

        var job = first.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 6, Batch: 1).InSmallShape());
        var done = await Until(first, job.Directory, j => j.Finished);
        Assert.True(done.Status == TrainingJobStatus.Completed, done.Message);
        var seen = await Until(second, job.Directory, j => j.Finished);
        Assert.Equal(TrainingJobStatus.Completed, seen.Status);
        Assert.Equal(done.Message, seen.Message);

        Assert.Equal([first], trainedBy.Keys);
        Assert.Equal([1L, 2, 3, 4, 5, 6], LoggedSteps(job.Directory)); // every step once: nobody trained it twice
    }

    [Fact]
    public async Task Runs_queued_on_two_instances_get_different_numbers_and_both_instances_list_both()
    {
        var first = await StartInstanceAsync();
        var second = await StartInstanceAsync();
        var a = first.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 1, Batch: 1).InSmallShape());
        var b = second.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 1, Batch: 1).InSmallShape());
        Assert.NotEqual(a.Id, b.Id);
        foreach (var instance in new[] { first, second })
        {
            await Until(instance, a.Directory, j => j.Status == TrainingJobStatus.Completed);
            await Until(instance, b.Directory, j => j.Status == TrainingJobStatus.Completed);
        }
    }

    [Fact]
    public async Task A_run_whose_instance_stopped_mid_run_is_continued_by_the_other_from_its_last_checkpoint()
    {
        var first = await StartInstanceAsync();
        var second = await StartInstanceAsync();
        // Far more steps than the test waits for, so that the first instance is still training when it stops.
        var job = first.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 24, Batch: 1) { EvaluationInterval = 2 }.InSmallShape()); // a checkpoint every 2 steps
        await Until(second, job.Directory, j => j is { Elsewhere: true, Latest.Step: >= 3 });

        await first.StopAsync(CancellationToken.None); // the app stops: the run stays "running" on disk and its lease is let go
        var continued = await Until(second, job.Directory, j => j.Finished);
        Assert.True(continued.Status == TrainingJobStatus.Completed, continued.Message);
        var match = Regex.Match(continued.Message ?? "", @"^Continued after a restart from step (\d+)\. ");
        Assert.True(match.Success, continued.Message);
        var from = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(from is >= 2 and < 24 && from % 2 == 0, $"continued from step {from}: a checkpoint the first instance wrote before it stopped");
        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), LoggedSteps(job.Directory)); // one curve, each step once
    }

    [Fact]
    public async Task A_cancel_on_the_instance_that_only_shows_a_run_stops_it_where_it_trains()
    {
        var first = await StartInstanceAsync();
        var second = await StartInstanceAsync();
        var job = first.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 1000, Batch: 1).InSmallShape());
        var shown = await Until(second, job.Directory, j => j is { Elsewhere: true, Latest.Step: >= 1 });

        second.Cancel(shown);
        var stopped = await Until(first, job.Directory, j => j.Finished);
        Assert.Equal(TrainingJobStatus.Cancelled, stopped.Status);
        Assert.True(stopped.Latest!.Step < 1000);
        Assert.Equal(TrainingJobStatus.Cancelled, (await Until(second, job.Directory, j => j.Finished)).Status);
    }
}
