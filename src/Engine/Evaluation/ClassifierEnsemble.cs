namespace Planner.Engine.Evaluation;

/// <summary>Two classifiers over the same labels used as one: the mean of their probabilities for each label (soft
/// voting), the most probable label the prediction. A fine-tuned network and a linear model over word n-grams err on
/// different texts, so their mean is often better than either.</summary>
public static class ClassifierEnsemble
{
    public static IReadOnlyList<ClassifierPrediction> Average(IReadOnlyList<ClassifierPrediction> first, IReadOnlyList<ClassifierPrediction> second,
        IReadOnlyList<string> labels)
    {
        if (first.Count != second.Count) throw new ArgumentException($"{first.Count} predictions against {second.Count}.", nameof(second));
        return [.. first.Zip(second, (a, b) =>
        {
            if (a.Probabilities.Count != labels.Count || b.Probabilities.Count != labels.Count)
                throw new ArgumentException($"Each prediction needs one probability per label ({labels.Count}).");
            var mean = a.Probabilities.Zip(b.Probabilities, (p, q) => (p + q) / 2).ToArray();
            var best = 0;
            for (var i = 1; i < mean.Length; i++) if (mean[i] > mean[best]) best = i;
            return new ClassifierPrediction(labels[best], mean);
        })];
    }
}
