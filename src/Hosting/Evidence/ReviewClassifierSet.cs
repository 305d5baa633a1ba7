using Planner.Engine.Evaluation;
using Planner.Engine.Model;
using Planner.Engine.Training;

namespace Planner.Hosting.Evidence;

/// <summary>One or two review classifiers used together: a sentiment classifier (its labels are all sentiment words:
/// negative, neutral, positive, mixed) and/or a category classifier (any other labels). Each checkpoint folder may be
/// the checkpoint itself or a training run's folder (its best checkpoint is used, else its latest).</summary>
public sealed class ReviewClassifierSet : IDisposable
{
    public const string Sentiment = "sentiment";
    public const string Category = "category";
    private static readonly HashSet<string> SentimentWords = new(["negative", "neutral", "positive", "mixed"], StringComparer.OrdinalIgnoreCase);

    private readonly List<(string Aspect, ClassificationHead Model, CheckpointMetadata Metadata)> members = [];

    private ReviewClassifierSet() { }

    /// <summary>The aspects (sentiment, category) with their labels, in the order the checkpoints were given.</summary>
    public IReadOnlyList<(string Aspect, IReadOnlyList<string> Labels)> Aspects => [.. members.Select(m => (m.Aspect, m.Metadata.Labels!))];

    public static ReviewClassifierSet Load(IReadOnlyList<string> directories)
    {
        if (directories.Count == 0) throw new CheckpointException("Give a classifier checkpoint (e.g. runs/sentiment/best).");
        var set = new ReviewClassifierSet();
        try
        {
            foreach (var directory in directories)
            {
                var (model, metadata) = CheckpointModels.LoadClassifier(TrainingOutput.Resolve(directory).Path);
                var aspect = AspectOf(metadata.Labels!);
                set.members.Add((aspect, model, metadata));
                if (set.members.Count(m => m.Aspect == aspect) > 1)
                    throw new CheckpointException($"Two {aspect} classifiers were given ({string.Join(", ", directories)}); give at most one for sentiment and one for categories.");
            }
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>"sentiment" when every label is a sentiment word, else "category".</summary>
    public static string AspectOf(IReadOnlyList<string> labels) => labels.All(SentimentWords.Contains) ? Sentiment : Category;

    /// <summary>For each text, the prediction of every classifier in the set, keyed by aspect.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, ClassifierPrediction>> Classify(IReadOnlyList<string> texts)
    {
        var perAspect = members.Select(m => (m.Aspect, Predictions: ClassifierEvaluator.Predict(m.Model, texts, m.Metadata.Labels!, m.Metadata.Model.ContextLength))).ToList();
        return [.. Enumerable.Range(0, texts.Count).Select(i => (IReadOnlyDictionary<string, ClassifierPrediction>)perAspect.ToDictionary(p => p.Aspect, p => p.Predictions[i]))];
    }

    public void Dispose()
    {
        foreach (var member in members) member.Model.Dispose();
        members.Clear();
    }
}
