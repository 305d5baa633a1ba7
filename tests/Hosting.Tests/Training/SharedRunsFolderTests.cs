using System.Collections.Concurrent;
using System.Text.Json;
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

        var job = first.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 6, Batch: 1));
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
        var a = first.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 1, Batch: 1));
        var b = second.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 1, Batch: 1));
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
        var job = first.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 12, Batch: 1)); // a checkpoint every 2 steps
        await Until(second, job.Directory, j => j is { Elsewhere: true, Latest.Step: >= 3 });

        await first.StopAsync(CancellationToken.None); // the app stops: the run stays "running" on disk and its lease is let go
        var continued = await Until(second, job.Directory, j => j.Finished);
        Assert.True(continued.Status == TrainingJobStatus.Completed, continued.Message);
        Assert.Matches(@"^Continued after a restart from step (2|4|6|8|10)\. ", continued.Message);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), LoggedSteps(job.Directory)); // one curve, each step once
    }

    [Fact]
    public async Task A_cancel_on_the_instance_that_only_shows_a_run_stops_it_where_it_trains()
    {
        var first = await StartInstanceAsync();
        var second = await StartInstanceAsync();
        var job = first.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 200, Batch: 1));
        var shown = await Until(second, job.Directory, j => j is { Elsewhere: true, Latest.Step: >= 1 });

        second.Cancel(shown);
        var stopped = await Until(first, job.Directory, j => j.Finished);
        Assert.Equal(TrainingJobStatus.Cancelled, stopped.Status);
        Assert.True(stopped.Latest!.Step < 200);
        Assert.Equal(TrainingJobStatus.Cancelled, (await Until(second, job.Directory, j => j.Finished)).Status);
    }
}
