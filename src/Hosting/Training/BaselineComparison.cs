using System.Globalization;
using Planner.Engine.Data;
using Planner.Engine.Evaluation;

namespace Planner.Hosting.Training;

/// <summary>The classical baseline trained beside a GPT-2 classifier on the same training texts, and the two combined
/// (the mean of their probabilities, <see cref="ClassifierEnsemble"/>). Which of the three the evidence uses is chosen
/// on the validation texts (<see cref="Choose"/>: the better macro-F1, accuracy breaking a tie, the cheaper model a full
/// tie); all three are then measured on the held-out texts, which took no part in any choice: the baseline's and the
/// combination's reports, and their differences from the GPT-2 classifier and the baseline with paired-bootstrap
/// intervals.</summary>
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
            scores = new ValidationScores(validation.Count,
                ClassificationReport.Of(validation, gpt2OnValidation, labels),
                ClassificationReport.Of(validation, onValidation, labels),
                ClassificationReport.Of(validation, ClassifierEnsemble.Average(gpt2OnValidation, onValidation, labels), labels));
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

    /// <summary>The candidate with the best validation macro-F1, accuracy breaking a tie, and on a full tie the cheapest
    /// (the baseline, then GPT-2 alone, then both); with no validation texts, the baseline.</summary>
    internal static (string Choice, string Reason) Choose(ValidationScores? scores)
    {
        if (scores is null)
            return (Baseline, "there were no validation texts to choose on (each label needs three examples or more), and it is the cheapest to run");
        var candidates = new[] { (Name: Baseline, Report: scores.Baseline), (Name: Gpt2, Report: scores.Gpt2), (Name: Combined, Report: scores.Combined) };
        var best = candidates[0];
        foreach (var candidate in candidates.Skip(1))
            if (candidate.Report.MacroF1 > best.Report.MacroF1 + 1e-12
                || (Math.Abs(candidate.Report.MacroF1 - best.Report.MacroF1) <= 1e-12 && candidate.Report.Accuracy > best.Report.Accuracy + 1e-12))
                best = candidate;
        static bool Same(double a, double b) => Math.Abs(a - b) <= 1e-12;
        var rest = candidates.Where(c => c.Name != best.Name).ToList();
        var tiedF1 = rest.Where(c => Same(c.Report.MacroF1, best.Report.MacroF1)).ToList();
        var rule = tiedF1.Count == 0 ? "the highest macro-F1"
            : tiedF1.Any(c => Same(c.Report.Accuracy, best.Report.Accuracy)) ? "the highest macro-F1 and accuracy, shared with a costlier model"
            : "the highest macro-F1 (shared) and the higher accuracy";
        var others = string.Join(", ", rest.Select(c => string.Create(CultureInfo.InvariantCulture, $"{ShortName(c.Name)} {c.Report.MacroF1:0.###}")));
        var why = string.Create(CultureInfo.InvariantCulture,
            $"{rule} on the {scores.Examples} validation texts ({best.Report.MacroF1:0.###}; {others}), texts used neither for training nor in the held-out measurement");
        return (best.Name, why);
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

/// <summary>The GPT-2 classifier, the baseline and the two combined on the validation texts.</summary>
public sealed record ValidationScores(int Examples, ClassificationReport Gpt2, ClassificationReport Baseline, ClassificationReport Combined);
