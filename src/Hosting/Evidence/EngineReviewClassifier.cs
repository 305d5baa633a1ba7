using Planner.Engine.Evaluation;
using Planner.Insights;

namespace Planner.Hosting.Evidence;

/// <summary>Binds Planner's <see cref="IReviewClassifier"/> port to the Engine's GPT-2 classifiers (only Hosting sees
/// both sides: Planner and Engine never reference each other).</summary>
public sealed class EngineReviewClassifier(ReviewClassifierSet classifiers) : IReviewClassifier, IDisposable
{
    public static EngineReviewClassifier Load(IReadOnlyList<string> checkpointDirectories) => new(ReviewClassifierSet.Load(checkpointDirectories));

    public string Description => string.Join("; ", classifiers.Aspects.Select(a => $"{a.Aspect} ({string.Join(", ", a.Labels)}) by {a.Model}"));

    public Task<IReadOnlyList<ReviewVerdict>> ClassifyAsync(IReadOnlyList<string> texts, CancellationToken ct = default) => Task.Run(() =>
    {
        var labels = classifiers.Aspects.ToDictionary(a => a.Aspect, a => a.Labels);
        LabelVerdict? Verdict(IReadOnlyDictionary<string, ClassifierPrediction> predictions, string aspect) =>
            predictions.TryGetValue(aspect, out var p)
                ? new LabelVerdict(p.Label, p.Probabilities.Max(), labels[aspect].Zip(p.Probabilities).ToDictionary(x => x.First, x => x.Second))
                : null;
        return (IReadOnlyList<ReviewVerdict>)[.. classifiers.Classify(texts).Select(v => new ReviewVerdict(Verdict(v, ReviewClassifierSet.Sentiment), Verdict(v, ReviewClassifierSet.Category)))];
    }, ct);

    public void Dispose() => classifiers.Dispose();
}
