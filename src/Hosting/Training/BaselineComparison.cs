using System.Globalization;
using Planner.Engine.Data;
using Planner.Engine.Evaluation;

namespace Planner.Hosting.Training;

/// <summary>The classical baseline trained beside a GPT-2 classifier on the same split, measured on the same held-out
/// reviews: its report, the GPT-2 − baseline differences with paired-bootstrap intervals, and which of the two the
/// evidence uses (the better macro-F1 on the held-out reviews; accuracy breaks a tie; the cheaper baseline wins a
/// full tie) and why, in words.</summary>
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

    /// <summary>The baseline's folder inside a run's folder.</summary>
    public const string FolderName = "baseline";

    public bool EvidenceUsesBaseline => EvidenceUses == Baseline;

    /// <summary>Trains the baseline on <paramref name="train"/>, saves it under <paramref name="runDirectory"/>, and
    /// compares it with the GPT-2 classifier's <paramref name="gpt2Predictions"/> on <paramref name="heldOut"/>.</summary>
    public static BaselineComparison Measure(IReadOnlyList<LabelledExample> train, IReadOnlyList<LabelledExample> heldOut,
        IReadOnlyList<string> labels, IReadOnlyList<ClassifierPrediction> gpt2Predictions, int seed, string runDirectory)
    {
        var baseline = BaselineClassifier.Train(train, labels, seed);
        baseline.Save(Path.Combine(runDirectory, FolderName));
        var predictions = baseline.Predict([.. heldOut.Select(e => e.Text)]);
        var actual = ClassificationReport.Indices(heldOut.Select(e => e.Label), labels);
        var gpt2 = ClassificationReport.Indices(gpt2Predictions.Select(p => p.Label), labels);
        var other = ClassificationReport.Indices(predictions.Select(p => p.Label), labels);
        var accuracy = PairedBootstrap.Difference(actual, gpt2, other, labels, r => r.Accuracy, seed);
        var macroF1 = PairedBootstrap.Difference(actual, gpt2, other, labels, r => r.MacroF1, seed);
        var gpt2Wins = macroF1.Difference > 0 || (macroF1.Difference == 0 && accuracy.Difference > 0);
        var report = ClassificationReport.Compute(actual, other, labels);
        return new BaselineComparison(BaselineClassifier.Description, report, accuracy, macroF1, gpt2Wins ? Gpt2 : Baseline,
            Explain(gpt2Wins, ClassificationReport.Compute(actual, gpt2, labels), report, macroF1));
    }

    private static string Explain(bool gpt2Wins, ClassificationReport gpt2, ClassificationReport baseline, BootstrapInterval macroF1)
    {
        var (winner, loser) = gpt2Wins ? (gpt2, baseline) : (baseline, gpt2);
        var why = winner.MacroF1 != loser.MacroF1
            ? string.Create(CultureInfo.InvariantCulture, $"higher macro-F1 on the {winner.Examples} held-out reviews ({winner.MacroF1:0.###} against {loser.MacroF1:0.###})")
            : winner.Accuracy != loser.Accuracy
                ? string.Create(CultureInfo.InvariantCulture, $"the same macro-F1 and higher accuracy on the {winner.Examples} held-out reviews ({winner.Accuracy:P1} against {loser.Accuracy:P1})")
                : "the same scores on the held-out reviews, and it is far cheaper to run";
        var chance = macroF1.ExcludesZero ? "" : "; the difference is within what the choice of held-out reviews alone could make (the interval includes 0)";
        return $"{(gpt2Wins ? "the GPT-2 classifier" : "the baseline")}: {why}{chance}";
    }
}
