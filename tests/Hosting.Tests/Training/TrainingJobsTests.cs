using Microsoft.Extensions.Logging.Abstractions;
using Planner.Engine.Training;
using Planner.Llm;
using Planner.Hosting.Evidence;
using Planner.Hosting.Training;
using Planner.Files;

namespace Planner.Hosting.Tests.Training;

/// <summary>The training service with real TorchSharp training on the sample documents, of the tiny preset cut to one
/// layer (<see cref="SmallShape"/>): these tests are about the queue and its runs, not about what the model learns.</summary>
public sealed class TrainingJobsTests : IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "planner-training-tests", Guid.NewGuid().ToString("N"));
    private TrainingJobs jobs = default!;
    private LanguageModelRuntime runtime = default!;
    private PlannerPaths paths = default!;

    private static string SampleDocs => Path.Combine(AppContext.BaseDirectory, "sample", "docs");

    public async Task InitializeAsync()
    {
        paths = new PlannerPaths(directory) { ModelsDirectory = Path.Combine(directory, "models-in") };
        runtime = new LanguageModelRuntime(new ModelRegistry([paths.ModelsDirectory, paths.ExportedModelsDirectory]));
        jobs = new TrainingJobs(paths, new ModelExport(paths, runtime), NullLogger<TrainingJobs>.Instance);
        await jobs.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await jobs.StopAsync(CancellationToken.None);
        jobs.Dispose();
        runtime.Dispose();
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    private Task<TrainingJob> Until(TrainingJob job, Func<TrainingJob, bool> condition)
    {
        var done = new TaskCompletionSource<TrainingJob>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(TrainingJob changed) { if (changed == job && condition(job)) done.TrySetResult(job); }
        jobs.Changed += Check;
        Check(job);
        return done.Task.WaitAsync(TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task A_run_reports_every_step_in_order_completes_and_exports_a_usable_model()
    {
        var job = jobs.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 4, Batch: 1).InSmallShape());
        await Until(job, j => j.Finished);
        Assert.True(job.Status == TrainingJobStatus.Completed, job.Message);
        Assert.Equal([1L, 2, 3, 4], job.Progress.Select(p => p.Step));
        Assert.All(job.Progress, p => Assert.Equal(4, p.TotalSteps));
        Assert.Contains(job.Progress, p => p.ValidationLoss is not null);
        Assert.True(CheckpointStore.Exists(job.Folder.Output.Latest));

        var file = jobs.ExportAndUse(job);
        Assert.True(File.Exists(file));
        var entry = runtime.Active(out var problem);
        Assert.Null(problem);
        Assert.Equal(file, entry!.Path);
        Assert.Equal("gpt2", entry.Info!.Architecture);
        Assert.Equal("Q8_0", entry.Info.Quantization);
    }

    [Fact]
    public async Task Runs_wait_their_turn_and_cancel_keeps_the_last_checkpoint()
    {
        // Far more steps than the test waits for, so that the run is still training when it is cancelled.
        var first = jobs.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 600, Batch: 1) { EvaluationInterval = 10 }.InSmallShape());
        var second = jobs.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 2, Batch: 1).InSmallShape());
        await Until(first, j => j.Latest?.Step >= 11); // checkpoints every 10 steps
        Assert.Equal(TrainingJobStatus.Queued, second.Status);
        Assert.Equal(1, jobs.PositionInQueue(second));

        jobs.Cancel(first);
        await Until(first, j => j.Finished);
        Assert.Equal(TrainingJobStatus.Cancelled, first.Status);
        var latest = Path.Combine(first.Directory, TrainingOutput.LatestName);
        Assert.True(CheckpointStore.Exists(latest));
        Assert.True(CheckpointStore.ReadMetadata(latest).Step >= 10);

        await Until(second, j => j.Finished);
        Assert.Equal(TrainingJobStatus.Completed, second.Status);
    }

    [Fact]
    public async Task A_cancelled_run_resumes_from_its_last_checkpoint_and_one_cancelled_before_it_started_cannot()
    {
        // Cancelled from its step-2 report, on the training thread before step 3 begins: mid-run however fast it trains.
        TrainingJob? run = null;
        jobs.Changed += changed => { if (changed == run && changed is { Status: TrainingJobStatus.Running, Latest.Step: >= 2 }) jobs.Cancel(changed); };
        run = jobs.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 6, Batch: 1).InSmallShape()); // a checkpoint every step
        var waiting = jobs.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 2, Batch: 1).InSmallShape());
        jobs.Cancel(waiting);
        Assert.False(TrainingJobs.CanResume(waiting));
        Assert.Throws<InvalidOperationException>(() => jobs.Resume(waiting));
        Assert.False(TrainingJobs.CanResume(run)); // running
        await Until(run, j => j.Finished);
        Assert.Equal(TrainingJobStatus.Cancelled, run.Status);
        var saved = CheckpointStore.ReadMetadata(Path.Combine(run.Directory, TrainingOutput.LatestName)).Step;
        Assert.True(TrainingJobs.CanResume(run));

        var resumed = jobs.Resume(run);
        Assert.Equal((run.Id, run.Directory, TrainingJobStatus.Queued), (resumed.Id, resumed.Directory, resumed.Status));
        Assert.DoesNotContain(run, jobs.All);
        await Until(resumed, j => j.Finished);
        Assert.True(resumed.Status == TrainingJobStatus.Completed, resumed.Message);
        Assert.StartsWith($"Resumed from step {saved}. Finished at step 6", resumed.Message);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), resumed.Progress.Select(p => p.Step)); // the whole curve, once
        Assert.True(resumed.Duration >= run.Duration);
    }

    [Fact]
    public void Bad_settings_and_missing_data_are_refused_with_reasons()
    {
        var error = Assert.Throws<ArgumentException>(() => jobs.Enqueue(new TrainingRequest(Path.Combine(directory, "nothing"), "your documents", Steps: 0)));
        Assert.Contains("Steps must be between 1 and 100,000.", error.Message);
        Assert.Contains("There is no data to train on (your documents): choose documents or upload some first.", error.Message);
        Assert.Empty(jobs.All);
    }

    [Fact]
    public async Task A_finished_run_is_listed_after_a_restart_with_its_whole_curve_duration_and_final_metrics()
    {
        var job = jobs.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 3, Batch: 1).InSmallShape());
        await Until(job, j => j.Finished);
        Assert.True(job.Status == TrainingJobStatus.Completed, job.Message);
        await jobs.StopAsync(CancellationToken.None);
        jobs.Dispose();

        jobs = new TrainingJobs(paths, new ModelExport(paths, runtime), NullLogger<TrainingJobs>.Instance);
        await jobs.StartAsync(CancellationToken.None);
        var listed = Assert.Single(jobs.All);
        Assert.Equal(TrainingJobStatus.Completed, listed.Status);
        Assert.Equal([1L, 2, 3], listed.Progress.Select(p => p.Step));
        Assert.Equal(job.Duration.TotalSeconds, listed.Duration.TotalSeconds, precision: 3);
        Assert.True(listed.Duration > TimeSpan.Zero);
        Assert.Equal(job.LastEvaluation!.ValidationLoss!.Value, listed.LastEvaluation!.ValidationLoss!.Value, precision: 4);
        Assert.NotNull(listed.FinishedUtc);
    }

    [Fact]
    public async Task A_running_run_cannot_be_deleted_and_a_finished_one_goes_with_all_its_files()
    {
        var job = jobs.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 400, Batch: 1) { EvaluationInterval = 6 }.InSmallShape());
        await Until(job, j => j.Latest?.Step >= 7); // checkpoints every 6 steps
        var refused = Assert.Throws<InvalidOperationException>(() => jobs.Delete(job));
        Assert.Contains("cancel it before deleting it", refused.Message);

        jobs.Cancel(job);
        await Until(job, j => j.Finished);
        Assert.True(job.Folder.DiskUsage() > 1_000_000, "even a one-layer model's checkpoint is megabytes");
        jobs.Delete(job);
        Assert.False(Directory.Exists(job.Directory));
        Assert.Empty(jobs.All);
        Assert.Equal(0, job.Folder.DiskUsage());
    }

    [Fact]
    public async Task A_language_model_run_reports_held_out_perplexity_before_and_after_and_writes_a_sample_at_each_evaluation()
    {
        var job = jobs.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 4, Batch: 2, LearningRate: 2e-3).InSmallShape());
        await Until(job, j => j.Finished);
        Assert.True(job.Status == TrainingJobStatus.Completed, job.Message);
        var report = job.EvaluationReport!;
        Assert.True(report.PerplexityAfter < report.PerplexityBefore, $"{report.PerplexityBefore} -> {report.PerplexityAfter}");
        Assert.True(report.HeldOutTokens > 0);
        Assert.Equal(1, report.HeldOutDocuments);
        Assert.Contains("Held-out perplexity", job.Message);
        Assert.Equal(job.Progress.Where(p => p.ValidationLoss is not null).Select(p => p.Step), job.Samples.Select(s => s.Step));
        Assert.All(job.Samples, s => Assert.NotEmpty(s.Prompt));
        Assert.Contains("\"perplexityBefore\"", File.ReadAllText(Path.Combine(job.Directory, RunFolder.ReportName)));
        Assert.Contains("training tokens", job.DataUsed);
        Assert.Equal(TrainingPlan.ChoosePrecision(job.Request).Describe(), job.Precision); // which precision and why, kept in run.json
        Assert.Equal(job.Precision, RunStateFile.Read(job.Directory, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)!.Precision);
    }

    [Fact]
    public async Task Two_starts_at_once_give_one_run_and_one_queued()
    {
        var requests = Enumerable.Range(0, 2).Select(_ => Task.Run(() => jobs.Enqueue(new TrainingRequest(SampleDocs, "sample", Steps: 400, Batch: 1).InSmallShape())));
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        jobs.Changed += changed => { if (changed.Status == TrainingJobStatus.Running) running.TrySetResult(); };
        var started = await Task.WhenAll(requests);
        await running.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Single(started, j => j.Status == TrainingJobStatus.Running);
        var waiting = Assert.Single(started, j => j.Status == TrainingJobStatus.Queued);
        Assert.Equal(1, jobs.PositionInQueue(waiting));
        foreach (var job in started) jobs.Cancel(job);
        await Until(started[0], j => j.Finished);
    }

    [Fact]
    public async Task A_review_classifier_run_reports_accuracy_macro_f1_and_a_confusion_matrix_and_is_not_exported()
    {
        var reviews = Path.Combine(AppContext.BaseDirectory, "sample", "reviews.csv");
        var job = jobs.Enqueue(new TrainingRequest(reviews, "reviews.csv", Steps: 2, Batch: 4)
            { Task = TrainingTask.Classifier, LabelColumn = "sentiment", Files = [reviews], DomainSteps = 2 }.InSmallShape());
        Assert.True(File.Exists(job.Request.Files[0]) && job.Request.Files[0].StartsWith(job.Directory, StringComparison.Ordinal), "the reviews are copied into the run");
        await Until(job, j => j.Finished);
        Assert.True(job.Status == TrainingJobStatus.Completed, job.Message);
        var report = job.EvaluationReport!.Classification!;
        Assert.InRange(report.Accuracy, 0, 1);
        Assert.InRange(report.MacroF1, 0, 1);
        Assert.Equal(report.Labels.Count, report.ConfusionMatrix.Length);
        Assert.Equal(report.Examples, report.ConfusionMatrix.Sum(row => row.Sum()));
        Assert.Contains("Held-out accuracy", job.Message);
        Assert.Throws<InvalidOperationException>(() => jobs.ExportAndUse(job));

        // The baseline was trained on the same training texts and measured on the same held-out reviews; the model
        // evidence uses was chosen on the validation reviews, by the rule the report states.
        var baseline = job.EvaluationReport.Baseline!;
        Assert.Equal((report.Examples, report.Labels), (baseline.Report.Examples, baseline.Report.Labels));
        Assert.Equal(report.ConfusionMatrix.Select(row => row.Sum()), baseline.Report.ConfusionMatrix.Select(row => row.Sum()));
        Assert.Equal(report.MacroF1 - baseline.Report.MacroF1, baseline.MacroF1Difference.Difference, 9);
        Assert.True(baseline.MacroF1Difference.Low <= baseline.MacroF1Difference.High, baseline.MacroF1Difference.ToString());
        var combined = baseline.CombinedReport!;
        Assert.Equal(report.Examples, combined.Examples);
        Assert.Equal(combined.MacroF1 - baseline.Report.MacroF1, baseline.CombinedMacroF1Difference!.Difference, 9);
        var validation = baseline.Validation!;
        Assert.Equal(26, validation.Examples);
        Assert.Equal(26, validation.Gpt2.ConfusionMatrix.Sum(row => row.Sum()));
        Assert.Equal(validation.Gpt2.MacroF1 - validation.Combined.MacroF1, validation.Gpt2OverCombined!.Difference, 9);
        // The pretrained encoder, trained on the same texts, measured on the same held-out and validation reviews.
        var encoder = baseline.EncoderReport!;
        Assert.Equal((report.Examples, report.Labels), (encoder.Examples, encoder.Labels));
        Assert.Equal(encoder.MacroF1 - baseline.Report.MacroF1, baseline.EncoderMacroF1Difference!.Difference, 9);
        Assert.Equal(validation.Baseline.MacroF1 - validation.Encoder!.MacroF1, validation.BaselineOverEncoder!.Difference, 9);
        var challengers = new[] { (BaselineComparison.Baseline, validation.Baseline.MacroF1, validation.BaselineOverEncoder.Low),
            (BaselineComparison.Combined, validation.Combined.MacroF1, validation.CombinedOverEncoder!.Low) }.Where(c => c.Item3 > 0).ToList();
        var ranked = challengers.Count == 0 ? BaselineComparison.Encoder : challengers.MaxBy(c => c.Item2).Item1;
        Assert.Equal(ranked, baseline.EvidenceUses);
        Assert.Contains("validation texts", baseline.Reason);
        Assert.Contains("Baseline on the same texts", job.Message);
        Assert.Contains("Both combined", job.Message);
        Assert.Equal(baseline.EvidenceUses, job.Folder.ReadReport()!.Baseline!.EvidenceUses);
        using var classifiers = ReviewClassifierSet.Load([job.Directory]);
        Assert.Equal(baseline.EvidenceUses switch
            {
                BaselineComparison.Baseline => "the baseline", BaselineComparison.Combined => "GPT-2 and the baseline combined",
                BaselineComparison.Encoder => "the pretrained encoder", _ => "GPT-2",
            },
            Assert.Single(classifiers.Aspects).Model);
    }
}
