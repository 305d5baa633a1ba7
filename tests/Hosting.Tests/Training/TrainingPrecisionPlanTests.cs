using Planner.Engine.Native;
using Planner.Engine.Training;
using Planner.Hosting.Training;

namespace Planner.Hosting.Tests.Training;

/// <summary>The precision in a run's plan: from the request and this machine for a new run, from the checkpoint (or
/// the request, when it names one) for a resumed run.</summary>
public class TrainingPrecisionPlanTests
{
    private static TrainingRequest Request(string precision) => new(RepositoryRoot.SampleData("docs"), "sample") { Precision = precision, Device = "cpu" };

    [Fact]
    public void A_new_plan_trains_in_the_precision_asked_and_auto_follows_this_cpus_bfloat16_hardware()
    {
        Assert.Equal(TrainingPrecision.Bf16, TrainingPlan.For(Request("bf16")).Training.Precision);
        Assert.Equal(TrainingPrecision.Fp32, TrainingPlan.For(Request("fp32")).Training.Precision);
        Assert.Equal(CpuFeatures.Current.HasBfloat16 ? TrainingPrecision.Bf16 : TrainingPrecision.Fp32, TrainingPlan.For(Request("auto")).Training.Precision);
        var classifier = Request("bf16") with { CorpusDirectory = RepositoryRoot.SampleData("reviews.csv"), Task = TrainingTask.Classifier };
        Assert.Equal(TrainingPrecision.Bf16, TrainingPlan.For(classifier, trainingExamples: 170).Training.Precision);
    }

    [Fact]
    public void A_resumed_plan_keeps_the_checkpoints_precision_under_auto_and_takes_one_asked_for()
    {
        var saved = new CheckpointMetadata(CheckpointMetadata.LanguageModel, TrainingPlan.For(Request("fp32")).Model, Step: 4, BestValidationLoss: 3.2,
            EvaluationsWithoutImprovement: 0, Training: new TrainingConfig { MaxSteps = 8, Precision = TrainingPrecision.Bf16 });
        Assert.Equal(saved.Training, TrainingPlan.Resume(saved, steps: null).Training);

        var kept = TrainingPlan.ChoosePrecision(Request("auto"), saved.Training.Precision);
        Assert.Equal(TrainingPrecision.Bf16, kept.Precision);
        Assert.Equal(saved.Training, TrainingPlan.Resume(saved, steps: null, kept.Precision).Training);

        var asked = TrainingPlan.ChoosePrecision(Request("fp32"), saved.Training.Precision);
        Assert.Equal(saved.Training with { Precision = TrainingPrecision.Fp32, MaxSteps = 12 }, TrainingPlan.Resume(saved, steps: 12, asked.Precision).Training);
    }

    [Fact]
    public void An_unknown_precision_is_a_problem_of_the_request_in_words()
    {
        Assert.Contains("Unknown precision 'fp16'; use auto, fp32 or bf16.", Request("fp16").Problems());
        Assert.DoesNotContain(Request("bf16").Problems(), p => p.Contains("precision", StringComparison.Ordinal));
    }
}
