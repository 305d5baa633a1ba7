using Planner.Engine.Evaluation;
using Planner.Engine.Training;
using Planner.Hosting.Evidence;
using Planner.Hosting.Tests.Training;
using Planner.Hosting.Training;

namespace Planner.Hosting.Tests.Evidence;

/// <summary>Evidence loads whichever model a classifier run's report chose on its validation texts: the GPT-2
/// classifier, the baseline, the two combined, or the pretrained encoder — each one really, not by name.</summary>
public class ReviewClassifierSetTests
{
    private static readonly string[] Texts = ["The export crashes every time I open a large invoice", "Love the new dashboard, so fast", "It is fine I guess"];

    [Fact]
    public void A_run_is_used_as_its_report_chose_and_the_combination_is_the_mean_of_both_models()
    {
        using var dir = new TempFolder();
        var run = new RunFolder(dir.File("run"));
        var request = new TrainingRequest(RepositoryRoot.SampleData("reviews.csv"), "reviews", Steps: 2, Batch: 4)
        {
            Task = TrainingTask.Classifier, LabelColumn = "sentiment", Device = "cpu", EvaluationInterval = 2, DomainPretraining = false,
        }.InSmallShape();
        TrainingRun.Execute(request, run, resume: false, new TrainingObserver(), CancellationToken.None);
        var report = run.ReadReport()!;

        IReadOnlyList<ClassifierPrediction> Gpt2()
        {
            var (model, metadata) = CheckpointModels.LoadClassifier(TrainingOutput.Resolve(run.Directory).Path);
            using (model) return ClassifierEvaluator.Predict(model, Texts, metadata.Labels!, metadata.Model.ContextLength);
        }
        var gpt2 = Gpt2();
        var baseline = BaselineClassifier.Load(Path.Combine(run.Directory, BaselineComparison.FolderName)).Predict(Texts);
        var combined = ClassifierEnsemble.Average(gpt2, baseline, report.Baseline!.Report.Labels);
        var encoder = EncoderClassifier.Load(Path.Combine(run.Directory, BaselineComparison.EncoderFolderName)).Predict(Texts);

        foreach (var (choice, model, expected) in new[]
                 {
                     (BaselineComparison.Gpt2, "GPT-2", gpt2), (BaselineComparison.Baseline, "the baseline", baseline),
                     (BaselineComparison.Combined, "GPT-2 and the baseline combined", combined),
                     (BaselineComparison.Encoder, "the pretrained encoder", encoder),
                 })
        {
            run.WriteReport(report with { Baseline = report.Baseline with { EvidenceUses = choice } });
            using var set = ReviewClassifierSet.Load([run.Directory]);
            Assert.Equal(model, Assert.Single(set.Aspects).Model);
            var got = set.Classify(Texts).Select(p => p[ReviewClassifierSet.Sentiment]).ToList();
            Assert.Equal(expected.Select(p => p.Label), got.Select(p => p.Label));
            for (var i = 0; i < Texts.Length; i++)
                Assert.Equal(expected[i].Probabilities.Select(p => Math.Round(p, 6)), got[i].Probabilities.Select(p => Math.Round(p, 6)));
        }
        // The combination's probabilities differ from each model's alone (or the test above proves nothing).
        Assert.NotEqual(combined[0].Probabilities.Select(p => Math.Round(p, 6)), gpt2[0].Probabilities.Select(p => Math.Round(p, 6)));
        Assert.NotEqual(combined[0].Probabilities.Select(p => Math.Round(p, 6)), baseline[0].Probabilities.Select(p => Math.Round(p, 6)));
        Assert.NotEqual(encoder[0].Probabilities.Select(p => Math.Round(p, 6)), baseline[0].Probabilities.Select(p => Math.Round(p, 6)));
    }

    [Fact]
    public void With_the_encoder_the_choice_is_the_encoder_unless_another_model_beats_it_by_more_than_chance()
    {
        static ClassificationReport Report(int[] predicted) =>
            ClassificationReport.Compute([0, 0, 1, 1, 2, 2], predicted, ["a", "b", "c"]);
        var (perfect, good, fair, poor) = (Report([0, 0, 1, 1, 2, 2]), Report([0, 0, 1, 1, 2, 1]), Report([0, 0, 1, 0, 2, 1]), Report([0, 1, 1, 0, 2, 0]));
        static BootstrapInterval Interval(double low, double high) => new((low + high) / 2, low, high, 0.95, 2000);
        ValidationScores Scores(ClassificationReport baseline, ClassificationReport combined, ClassificationReport encoder, BootstrapInterval baselineOver, BootstrapInterval combinedOver) =>
            new(6, poor, baseline, combined) { Encoder = encoder, BaselineOverEncoder = baselineOver, CombinedOverEncoder = combinedOver, Gpt2OverCombined = Interval(-0.6, 0.1) };

        // Others ahead on validation, but within chance: the encoder stays.
        var (kept, why) = BaselineComparison.Choose(Scores(perfect, good, fair, Interval(-0.1, 0.5), Interval(-0.2, 0.4)));
        Assert.Equal(BaselineComparison.Encoder, kept);
        Assert.Contains("no other model beats it by more than chance on the 6 validation texts (macro-F1 encoder", why);
        // One beyond chance: chosen.
        var (combined, because) = BaselineComparison.Choose(Scores(fair, good, poor, Interval(-0.1, 0.5), Interval(0.05, 0.5)));
        Assert.Equal(BaselineComparison.Combined, combined);
        Assert.Contains("better than the pretrained encoder on", because);
        Assert.Contains("— more than chance", because);
        // Two beyond chance: the higher on validation.
        var (baseline, _) = BaselineComparison.Choose(Scores(perfect, good, poor, Interval(0.1, 0.7), Interval(0.05, 0.5)));
        Assert.Equal(BaselineComparison.Baseline, baseline);
        var (none, noValidation) = BaselineComparison.Choose(null);
        Assert.Equal(BaselineComparison.Encoder, none);
        Assert.Contains("no validation texts", noValidation);
    }

    [Fact]
    public void Without_the_encoder_in_an_older_report_the_choice_is_the_combination_unless_the_baseline_beats_it_by_more_than_chance()
    {
        static ClassificationReport Report(int[] predicted) =>
            ClassificationReport.Compute([0, 0, 1, 1, 2, 2], predicted, ["a", "b", "c"]);
        var (perfect, good, poor) = (Report([0, 0, 1, 1, 2, 2]), Report([0, 0, 1, 1, 2, 1]), Report([0, 1, 1, 0, 2, 0]));
        static BootstrapInterval Interval(double low, double high) => new((low + high) / 2, low, high, 0.95, 2000);

        // The baseline is better on validation, but within chance: the combination stays.
        var (kept, why) = BaselineComparison.Choose(new ValidationScores(6, poor, perfect, good) { Gpt2OverCombined = Interval(-0.6, 0.1), BaselineOverCombined = Interval(-0.1, 0.4) });
        Assert.Equal(BaselineComparison.Combined, kept);
        Assert.Contains("the baseline alone does not beat it by more than chance on the 6 validation texts", why);
        // Beyond chance the baseline is chosen.
        var (baseline, because) = BaselineComparison.Choose(new ValidationScores(6, poor, perfect, good) { Gpt2OverCombined = Interval(-0.6, 0.1), BaselineOverCombined = Interval(0.05, 0.4) });
        Assert.Equal(BaselineComparison.Baseline, baseline);
        Assert.Contains("— more than chance", because);
        // GPT-2 alone is not chosen even when its validation figure is far ahead: it was selected on those same texts.
        var (combined, flattered) = BaselineComparison.Choose(new ValidationScores(6, perfect, poor, good) { Gpt2OverCombined = Interval(0.1, 0.5), BaselineOverCombined = Interval(-0.6, -0.1) });
        Assert.Equal(BaselineComparison.Combined, combined);
        Assert.Contains("GPT-2 alone scored +0.300 (95% CI +0.100 to +0.500) above the combination there, but its checkpoint was chosen on those same texts", flattered);
        Assert.DoesNotContain("GPT-2 alone scored", why); // behind the combination, it is not mentioned
    }
}
