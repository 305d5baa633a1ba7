using Planner.Engine.Model;
using Planner.Engine.Training;
using Planner.Hosting.Training;

namespace Planner.Hosting.Tests.Training;

/// <summary>The one training run both hosts use: its plan from a request, and how it ends.</summary>
public class TrainingRunTests
{
    private static string SampleDocs => RepositoryRoot.SampleData("docs");

    [Fact]
    public void A_request_leaves_nothing_to_the_entry_point_every_unset_value_comes_from_the_shared_defaults()
    {
        var plan = TrainingPlan.For(new TrainingRequest(SampleDocs, "sample", Steps: 60) { Context = 256 });
        Assert.Equal(TrainingDefaults.Seed, plan.Training.Seed);
        Assert.Equal((TrainingDefaults.LanguageModelBatch, TrainingDefaults.LanguageModelLearningRate), (plan.Training.BatchSize, plan.Training.LearningRate));
        Assert.Equal((6, 10, 10), (plan.Training.WarmupSteps, plan.Training.EvaluationInterval, plan.Training.CheckpointInterval));
        Assert.Equal(plan.Training.LearningRate / 10, plan.Training.MinLearningRate);
        Assert.Equal(256, plan.Model.ContextLength);

        var classifier = TrainingPlan.For(new TrainingRequest(RepositoryRoot.SampleData("reviews.csv"), "reviews") { Task = TrainingTask.Classifier });
        Assert.Equal((TrainingDefaults.Steps, TrainingDefaults.ClassifierBatch, TrainingDefaults.ClassifierLearningRate),
            (classifier.Training.MaxSteps, classifier.Training.BatchSize, classifier.Training.LearningRate));
        Assert.Equal(int.MaxValue, classifier.Training.EvaluationWindows); // every held-out review is classified
    }

    [Fact]
    public void Layers_heads_and_width_override_the_presets_shape_and_leave_the_rest_of_it()
    {
        var plan = TrainingPlan.For(new TrainingRequest(SampleDocs, "sample", "small") { Layers = 1, Width = 64, Heads = 2 });
        Assert.Equal(GptConfig.Small with { Layers = 1, Embedding = 64, Heads = 2 }, plan.Model);
        Assert.Equal(GptConfig.Tiny with { Layers = 2 }, TrainingPlan.For(new TrainingRequest(SampleDocs, "sample") { Layers = 2 }).Model);
        Assert.Equal(GptConfig.Tiny, TrainingPlan.For(new TrainingRequest(SampleDocs, "sample")).Model);
    }

    [Fact]
    public void A_resumed_plan_keeps_the_checkpoints_settings_and_only_moves_the_end()
    {
        var saved = new CheckpointMetadata(CheckpointMetadata.LanguageModel, TrainingPlan.For(new TrainingRequest(SampleDocs, "s") { Context = 256 }).Model,
            Step: 40, BestValidationLoss: 3.2, EvaluationsWithoutImprovement: 0, Training: new TrainingConfig { MaxSteps = 60, Seed = 9, LearningRate = 1e-3, MinLearningRate = 1e-4 });
        Assert.Equal(saved.Training, TrainingPlan.Resume(saved, steps: null).Training);
        Assert.Equal(saved.Training with { MaxSteps = 90 }, TrainingPlan.Resume(saved, steps: 90).Training);
        Assert.Contains("already at step 40", Assert.Throws<ArgumentException>(() => TrainingPlan.Resume(saved, steps: 40)).Message);
    }

    [Fact]
    public void A_run_whose_loss_stops_being_finite_stops_at_that_step_with_nothing_of_it_written()
    {
        // Past the hosts' limit on purpose: the run itself must stop a diverging model, whatever let it through.
        using var dir = new TempFolder();
        var request = new TrainingRequest(SampleDocs, "sample", Steps: 6, Batch: 1, LearningRate: 1e30) { Context = 256, EvaluationInterval = 100, Seed = 3 }.InSmallShape();
        var steps = new List<long>();
        var error = Assert.Throws<TrainingDivergedException>(() =>
            TrainingRun.Execute(request, new RunFolder(dir.File("run")), resume: false, new TrainingObserver { Step = p => steps.Add(p.Step) }, CancellationToken.None));
        Assert.StartsWith("Training stopped at step 2: the ", error.Message);
        Assert.Contains("Start again with a lower learning rate", error.Message);
        Assert.Equal([1L], steps);
        Assert.Single(File.ReadAllLines(dir.File("run/metrics.jsonl")));
    }

    [Fact]
    public void A_run_tells_its_host_what_it_trains_on_measures_the_start_and_keeps_the_report_in_its_folder()
    {
        using var dir = new TempFolder();
        var run = new RunFolder(dir.File("run"));
        TrainingStart? started = null;
        var reports = new List<EvaluationReport>();
        var outcome = TrainingRun.Execute(new TrainingRequest(SampleDocs, "sample", Steps: 2, Batch: 1) { Context = 256, Device = "cpu" }.InSmallShape(), run, resume: false,
            new TrainingObserver { Started = s => started = s, Report = reports.Add }, CancellationToken.None);

        Assert.Contains("training tokens", started!.DataUsed);
        Assert.StartsWith("1 layer × 32 wide, context 256", started.Model); // the shape asked for (the default is the tiny preset: Layers_heads_and_width_…)
        Assert.Contains("from scratch", started.Model);
        Assert.Null(started.ResumedFromStep);
        Assert.Equal(2, reports.Count); // the "before" half, then the whole
        Assert.Null(reports[0].PerplexityAfter);
        Assert.Equal(outcome.Report, run.ReadReport());
        Assert.Equal(CheckpointChoice.Best, run.BestOrLatest()!.Choice);
        Assert.StartsWith("Finished at step 2", outcome.Summary);
    }
}
