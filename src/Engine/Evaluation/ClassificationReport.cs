using Planner.Engine.Data;

namespace Planner.Engine.Evaluation;

/// <summary>Accuracy, macro-averaged F1, per-class F1 and the confusion matrix (rows: actual label, columns: predicted label).</summary>
public sealed record ClassificationReport(double Accuracy, double MacroF1, IReadOnlyList<string> Labels, int[][] ConfusionMatrix, int Examples)
{
    /// <summary>F1 of each label (in <see cref="Labels"/> order); null for a label neither in the data nor predicted.</summary>
    public IReadOnlyList<double?> PerClassF1 => [.. Enumerable.Range(0, Labels.Count).Select(c =>
    {
        var actualCount = ConfusionMatrix[c].Sum();
        var predictedCount = ConfusionMatrix.Sum(row => row[c]);
        return actualCount + predictedCount == 0 ? (double?)null : 2.0 * ConfusionMatrix[c][c] / (actualCount + predictedCount);
    })];

    /// <summary>The report of <paramref name="predictions"/> against the examples' labels.</summary>
    public static ClassificationReport Of(IReadOnlyList<LabelledExample> examples, IReadOnlyList<ClassifierPrediction> predictions, IReadOnlyList<string> labels) =>
        Compute(Indices(examples.Select(e => e.Label), labels), Indices(predictions.Select(p => p.Label), labels), labels);

    /// <summary>The position of each label in <paramref name="labels"/>; a label not there is a programming error.</summary>
    public static int[] Indices(IEnumerable<string> values, IReadOnlyList<string> labels)
    {
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        return [.. values.Select(v => index.TryGetValue(v, out var i) ? i : throw new ArgumentException($"'{v}' is not one of the labels {string.Join(", ", labels)}."))];
    }

    public static ClassificationReport Compute(IReadOnlyList<int> actual, IReadOnlyList<int> predicted, IReadOnlyList<string> labels)
    {
        if (actual.Count != predicted.Count) throw new ArgumentException("Actual and predicted labels differ in count.");
        var k = labels.Count;
        var confusion = Enumerable.Range(0, k).Select(_ => new int[k]).ToArray();
        for (var i = 0; i < actual.Count; i++) confusion[actual[i]][predicted[i]]++;
        var correct = Enumerable.Range(0, k).Sum(c => confusion[c][c]);
        // Macro-F1 averages per-class F1 over the classes present in the data or the predictions.
        var f1s = new List<double>();
        for (var c = 0; c < k; c++)
        {
            var truePositives = confusion[c][c];
            var actualCount = confusion[c].Sum();
            var predictedCount = confusion.Sum(row => row[c]);
            if (actualCount == 0 && predictedCount == 0) continue;
            f1s.Add(2.0 * truePositives / (actualCount + predictedCount));
        }
        return new ClassificationReport(actual.Count == 0 ? 0 : (double)correct / actual.Count, f1s.Count == 0 ? 0 : f1s.Average(), labels, confusion, actual.Count);
    }
}
