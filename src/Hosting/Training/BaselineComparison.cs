using System.Globalization;
using Planner.Engine.Data;
using Planner.Engine.Evaluation;

namespace Planner.Hosting.Training;

/// <summary>The classical baseline trained beside a GPT-2 classifier on the same training texts, and the two combined
/// (the mean of their probabilities, <see cref="ClassifierEnsemble"/>). Which of the three the evidence uses is chosen
/// on the validation texts (<see cref="Choose"/>): the combination, unless the baseline alone beats it there by more
/// than chance; all three are then measured on the held-out texts, which took no part in any choice: the
/// baseline's and the combination's reports, and their differences from the GPT-2 classifier and the baseline with
/// paired-bootstrap intervals.</summary>
public sealed record BaselineComparison(
    string Description,
    ClassificationReport Report,
    BootstrapInterval AccuracyDifference,
    BootstrapInterval MacroF1Difference,
    string EvidenceUses,
    string Reason)
{
    public const string Gpt2 = "gpt2";
    public const string Baseline = "baseline";
    public const string Combined = "combined";

    /// <summary>The baseline's folder inside a run's folder.</summary>
    public const string FolderName = "baseline";

    /// <summary>The combination on the held-out texts; null in reports written before it existed.</summary>
    public ClassificationReport? CombinedReport { get; init; }

    /// <summary>Combined − baseline accuracy on the held-out texts.</summary>
    public BootstrapInterval? CombinedAccuracyDifference { get; init; }

    /// <summary>Combined − baseline macro-F1 on the held-out texts.</summary>
    public BootstrapInterval? CombinedMacroF1Difference { get; init; }

    /// <summary>The three candidates on the validation texts, where the choice was made; null in reports written when the
    /// choice was made on the held-out texts themselves.</summary>
    public ValidationScores? Validation { get; init; }

    public bool EvidenceUsesBaseline => EvidenceUses == Baseline;
    public bool EvidenceUsesCombined => EvidenceUses == Combined;

    /// <summary>"the baseline", "the GPT-2 classifier" or "GPT-2 and the baseline combined"; <see cref="Reason"/> says why.</summary>
    public string EvidenceModel => Name(EvidenceUses);

    /// <summary>Trains the baseline on <paramref name="train"/> and saves it under <paramref name="runDirectory"/>;
    /// chooses among GPT-2, the baseline and both combined on <paramref name="validation"/>; measures them on
    /// <paramref name="heldOut"/>. Each prediction list is the GPT-2 classifier's on those texts, in order.</summary>
    public static BaselineComparison Measure(IReadOnlyList<LabelledExample> train, IReadOnlyList<LabelledExample> validation,
        IReadOnlyList<LabelledExample> heldOut, IReadOnlyList<string> labels, IReadOnlyList<ClassifierPrediction> gpt2OnValidation,
        IReadOnlyList<ClassifierPrediction> gpt2OnHeldOut, int seed, string runDirectory)
    {
        var baseline = BaselineClassifier.Train(train, labels, seed);
        baseline.Save(Path.Combine(runDirectory, FolderName));

        ValidationScores? scores = null;
        if (validation.Count > 0)
        {
            var onValidation = baseline.Predict([.. validation.Select(e => e.Text)]);
            var combinedOnValidation = ClassifierEnsemble.Average(gpt2OnValidation, onValidation, labels);
            var truth = ClassificationReport.Indices(validation.Select(e => e.Label), labels);
            var (g, b, c) = (ClassificationReport.Indices(gpt2OnValidation.Select(p => p.Label), labels),
                ClassificationReport.Indices(onValidation.Select(p => p.Label), labels), ClassificationReport.Indices(combinedOnValidation.Select(p => p.Label), labels));
            scores = new ValidationScores(validation.Count, ClassificationReport.Compute(truth, g, labels), ClassificationReport.Compute(truth, b, labels),
                ClassificationReport.Compute(truth, c, labels))
            {
                Gpt2OverCombined = PairedBootstrap.Difference(truth, g, c, labels, r => r.MacroF1, seed),
                BaselineOverCombined = PairedBootstrap.Difference(truth, b, c, labels, r => r.MacroF1, seed),
            };
        }

        var predictions = baseline.Predict([.. heldOut.Select(e => e.Text)]);
        var combined = ClassifierEnsemble.Average(gpt2OnHeldOut, predictions, labels);
        var actual = ClassificationReport.Indices(heldOut.Select(e => e.Label), labels);
        var gpt2 = ClassificationReport.Indices(gpt2OnHeldOut.Select(p => p.Label), labels);
        var other = ClassificationReport.Indices(predictions.Select(p => p.Label), labels);
        var both = ClassificationReport.Indices(combined.Select(p => p.Label), labels);
        var (choice, reason) = Choose(scores);
        return new BaselineComparison(BaselineClassifier.Description, ClassificationReport.Compute(actual, other, labels),
            PairedBootstrap.Difference(actual, gpt2, other, labels, r => r.Accuracy, seed),
            PairedBootstrap.Difference(actual, gpt2, other, labels, r => r.MacroF1, seed),
            choice, reason)
        {
            CombinedReport = ClassificationReport.Compute(actual, both, labels),
            CombinedAccuracyDifference = PairedBootstrap.Difference(actual, both, other, labels, r => r.Accuracy, seed),
            CombinedMacroF1Difference = PairedBootstrap.Difference(actual, both, other, labels, r => r.MacroF1, seed),
            Validation = scores,
        };
    }

    /// <summary>GPT-2 and the baseline combined, unless the baseline alone has a higher validation macro-F1 whose
    /// paired-bootstrap interval against the combination excludes 0; with no validation texts, the baseline. The
    /// combination is the default because it was the better model on small labelled sets, and a few dozen validation
    /// texts cannot tell close models apart: the choice moves to the baseline only on evidence. GPT-2 alone is never
    /// chosen here: its validation figure is inflated by its checkpoint having been chosen on the same texts, and it was
    /// below the combination on every split measured (docs/benchmarks.md, "Review classifier: pooling, a validation
    /// split and the two models combined"); its checkpoint folder (RUN/best) still uses it on purpose.</summary>
    internal static (string Choice, string Reason) Choose(ValidationScores? scores)
    {
        if (scores is null)
            return (Baseline, "there were no validation texts to choose on (each label needs three examples or more), and it is the cheapest to run");
        var on = string.Create(CultureInfo.InvariantCulture,
            $"the {scores.Examples} validation texts (macro-F1 combined {scores.Combined.MacroF1:0.###}, baseline {scores.Baseline.MacroF1:0.###}, GPT-2 {scores.Gpt2.MacroF1:0.###}), texts used neither for training nor in the held-out measurement");
        // GPT-2 ahead on validation is said, with why it does not count: its checkpoint was chosen on these texts.
        var gpt2 = scores.Gpt2OverCombined is { Difference: > 0 } ahead
            ? $"; GPT-2 alone scored {ahead} above the combination there, but its checkpoint was chosen on those same texts, which flatters it"
            : "";
        return scores.BaselineOverCombined is { Low: > 0 } over
            ? (Baseline, $"better than the two combined on {on}, by {over} — more than chance{gpt2}")
            : (Combined, $"the default, as the baseline alone does not beat it by more than chance on {on}{gpt2}");
    }

    private static string Name(string choice) => choice switch
    {
        Gpt2 => "the GPT-2 classifier",
        Combined => "GPT-2 and the baseline combined",
        _ => "the baseline",
    };

    private static string ShortName(string choice) => choice switch
    {
        Gpt2 => "GPT-2",
        Combined => "combined",
        _ => "baseline",
    };
}

/// <summary>The GPT-2 classifier, the baseline and the two combined on the validation texts, with each model's macro-F1
/// difference from the combination and its paired-bootstrap interval.</summary>
public sealed record ValidationScores(int Examples, ClassificationReport Gpt2, ClassificationReport Baseline, ClassificationReport Combined)
{
    public BootstrapInterval? Gpt2OverCombined { get; init; }

    public BootstrapInterval? BaselineOverCombined { get; init; }
}
