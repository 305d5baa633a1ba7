namespace Planner.Engine.Evaluation;

/// <summary>Accuracy, macro-averaged F1 and the confusion matrix (rows: actual label, columns: predicted label).</summary>
public sealed record ClassificationReport(double Accuracy, double MacroF1, IReadOnlyList<string> Labels, int[][] ConfusionMatrix, int Examples)
{
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
