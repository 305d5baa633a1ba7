using Planner.Engine.Data;
using Planner.Engine.Model;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Evaluation;

/// <summary>Runs a classifier over texts: predictions with probabilities, and metrics against known labels.</summary>
public static class ClassifierEvaluator
{
    private const int BatchSize = 16;

    public static IReadOnlyList<ClassifierPrediction> Predict(ClassificationHead model, IReadOnlyList<string> texts, IReadOnlyList<string> labels, int contextLength) =>
        [.. PredictWithLoss(model, texts, null, labels, contextLength).Predictions];

    public static (IReadOnlyList<ClassifierPrediction> Predictions, double Loss) PredictWithLoss(ClassificationHead model, IReadOnlyList<string> texts,
        IReadOnlyList<int>? targets, IReadOnlyList<string> labels, int contextLength)
    {
        var device = model.parameters().First().device;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            var predictions = new List<ClassifierPrediction>();
            double lossSum = 0;
            for (var start = 0; start < texts.Count; start += BatchSize)
            {
                using var scope = NewDisposeScope();
                var slice = texts.Skip(start).Take(BatchSize).ToList();
                var (tokens, lengths) = ClassificationBatch.Encode(slice, contextLength);
                var logits = model.forward(tokens.to(device), lengths.to(device));        // (B, classes)
                if (targets is not null)
                {
                    var y = tensor(targets.Skip(start).Take(slice.Count).Select(t => (long)t).ToArray()).to(device);
                    lossSum += F.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
                }
                var probabilities = logits.softmax(1).to(CPU).to_type(ScalarType.Float64).data<double>().ToArray();
                for (var b = 0; b < slice.Count; b++)
                {
                    var row = probabilities[(b * labels.Count)..((b + 1) * labels.Count)];
                    predictions.Add(new ClassifierPrediction(labels[Array.IndexOf(row, row.Max())], row));
                }
            }
            return (predictions, texts.Count == 0 ? double.NaN : lossSum / texts.Count);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    public static ClassificationReport Evaluate(ClassificationHead model, IReadOnlyList<LabelledExample> examples, IReadOnlyList<string> labels, int contextLength) =>
        Evaluate(model, examples, labels, contextLength, out _);

    public static ClassificationReport Evaluate(ClassificationHead model, IReadOnlyList<LabelledExample> examples, IReadOnlyList<string> labels, int contextLength, out double loss)
    {
        var unknown = examples.Select(e => e.Label).Distinct().Where(l => !labels.Contains(l)).ToList();
        if (unknown.Count > 0)
            throw new CorpusException($"The data has labels the classifier was not trained on: {string.Join(", ", unknown)} (it knows {string.Join(", ", labels)}).");
        var actual = examples.Select(e => IndexOf(labels, e.Label)).ToList();
        var (predictions, meanLoss) = PredictWithLoss(model, [.. examples.Select(e => e.Text)], actual, labels, contextLength);
        loss = meanLoss;
        return ClassificationReport.Compute(actual, [.. predictions.Select(p => IndexOf(labels, p.Label))], labels);
    }

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (var i = 0; i < labels.Count; i++) if (labels[i] == label) return i;
        return -1;
    }
}
