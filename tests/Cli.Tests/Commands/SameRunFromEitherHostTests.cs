using Microsoft.Extensions.Logging.Abstractions;
using Planner.Engine.Model;
using Planner.Engine.Training;
using Planner.Files;
using Planner.Hosting.Training;
using Planner.Llm;

namespace Planner.Cli.Tests.Commands;

/// <summary>One path per capability: the command line and the Training page's queue turn the same request into the same
/// training, so they write the same model, bit for bit.</summary>
public class SameRunFromEitherHostTests
{
    [Fact]
    public async Task The_same_request_from_the_cli_and_the_web_queue_gives_bit_identical_checkpoints()
    {
        using var dir = new TempFolder();
        var docs = RepositoryRoot.SampleData("docs");

        // planner train, with only what the Training page's form asks for (and a smaller shape than the preset's, which only
        // the command line and the request offer); everything else from the shared defaults.
        var cli = await CliRun.Of("train", "--corpus", docs, "--preset", "tiny", "--layers", "1", "--width", "32", "--heads", "2", "--context", "256", "--steps", "3", "--batch", "2",
            "--lr", "0.001", "--out", dir.File("cli-run"), "--device", "cpu");
        Assert.True(cli.ExitCode == 0, cli.Stderr);

        // The Training page's queue with the request its form makes of the same choices.
        var paths = PlannerPaths.Resolve(dir.File("app"));
        using var runtime = new LanguageModelRuntime(new ModelRegistry([paths.ExportedModelsDirectory]));
        using var jobs = new TrainingJobs(paths, new ModelExport(paths, runtime), NullLogger<TrainingJobs>.Instance);
        await jobs.StartAsync(CancellationToken.None);
        var finished = new TaskCompletionSource();
        jobs.Changed += j => { if (j.Finished) finished.TrySetResult(); };
        var job = jobs.Enqueue(new TrainingRequest(docs, "sample documents", "tiny", Steps: 3, Batch: 2, LearningRate: 0.001)
            { Context = 256, Layers = 1, Width = 32, Heads = 2 });
        await finished.Task.WaitAsync(TimeSpan.FromMinutes(5));
        await jobs.StopAsync(CancellationToken.None);
        Assert.True(job.Status == TrainingJobStatus.Completed, job.Message);

        foreach (var checkpoint in new[] { TrainingOutput.LatestName, TrainingOutput.BestName })
        {
            var fromCli = File.ReadAllBytes(Path.Combine(dir.File("cli-run"), checkpoint, CheckpointStore.ModelFile));
            var fromWeb = File.ReadAllBytes(Path.Combine(job.Directory, checkpoint, CheckpointStore.ModelFile));
            Assert.True(fromCli.AsSpan().SequenceEqual(fromWeb), $"{checkpoint}: the two hosts trained different weights");
        }
        Assert.Equal(CheckpointStore.ReadMetadata(dir.File("cli-run/checkpoint")).Training, CheckpointStore.ReadMetadata(Path.Combine(job.Directory, "checkpoint")).Training);
        Assert.Equal(GptConfig.Tiny with { Layers = 1, Embedding = 32, Heads = 2 }, CheckpointStore.ReadMetadata(dir.File("cli-run/checkpoint")).Model);
    }
}
