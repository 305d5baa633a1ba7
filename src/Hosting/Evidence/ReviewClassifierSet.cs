using Planner.Engine.Evaluation;
using Planner.Engine.Model;
using Planner.Engine.Training;
using Planner.Hosting.Training;

namespace Planner.Hosting.Evidence;

/// <summary>One or two review classifiers used together: a sentiment classifier (its labels are all sentiment words:
/// negative, neutral, positive, mixed) and/or a category classifier (any other labels). Each folder may be a GPT-2
/// checkpoint, a baseline's or an encoder classifier's folder, or a training run's folder: a run uses whichever its
/// report chose on validation texts — its pretrained encoder, its baseline, or GPT-2 and the baseline combined
/// (<see cref="BaselineComparison"/>); a run without that choice uses its best GPT-2 checkpoint, else its latest.</summary>
public sealed class ReviewClassifierSet : IDisposable
{
    public const string Sentiment = "sentiment";
    public const string Category = "category";
    private static readonly HashSet<string> SentimentWords = new(["negative", "neutral", "positive", "mixed"], StringComparer.OrdinalIgnoreCase);

    private readonly List<Member> members = [];

    private ReviewClassifierSet() { }

    /// <summary>The aspects (sentiment, category) with their labels and the model that tells them, in the order given.</summary>
    public IReadOnlyList<(string Aspect, IReadOnlyList<string> Labels, string Model)> Aspects => [.. members.Select(m => (m.Aspect, m.Labels, m.Model))];

    public static ReviewClassifierSet Load(IReadOnlyList<string> directories)
    {
        if (directories.Count == 0) throw new CheckpointException("Give a classifier checkpoint (e.g. runs/sentiment/best).");
        var set = new ReviewClassifierSet();
        try
        {
            foreach (var directory in directories)
            {
                var member = LoadMember(directory);
                set.members.Add(member);
                if (set.members.Count(m => m.Aspect == member.Aspect) > 1)
                    throw new CheckpointException($"Two {member.Aspect} classifiers were given ({string.Join(", ", directories)}); give at most one for sentiment and one for categories.");
            }
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>The baseline's folder when <paramref name="directory"/> is one, or is a run whose report chose its baseline.</summary>
    public static string? BaselineOf(string directory)
    {
        if (BaselineClassifier.Exists(directory)) return directory;
        var inRun = Path.Combine(directory, BaselineComparison.FolderName);
        return new RunFolder(directory).ReadReport()?.Baseline is { EvidenceUsesBaseline: true } && BaselineClassifier.Exists(inRun) ? inRun : null;
    }

    /// <summary>The encoder classifier's folder when <paramref name="directory"/> is one, or is a run whose report chose it.</summary>
    public static string? EncoderOf(string directory)
    {
        if (EncoderClassifier.Exists(directory)) return directory;
        var inRun = Path.Combine(directory, BaselineComparison.EncoderFolderName);
        return new RunFolder(directory).ReadReport()?.Baseline is { EvidenceUsesEncoder: true } && EncoderClassifier.Exists(inRun) ? inRun : null;
    }

    private static Member LoadMember(string directory)
    {
        if (EncoderOf(directory) is { } encoderFolder)
        {
            var encoder = LoadEncoder(encoderFolder);
            return new Member(AspectOf(encoder.Labels), encoder.Labels, "the pretrained encoder", encoder.Predict, null);
        }
        if (BaselineOf(directory) is { } baselineFolder)
        {
            var baseline = LoadBaseline(baselineFolder);
            return new Member(AspectOf(baseline.Labels), baseline.Labels, "the baseline", baseline.Predict, null);
        }
        var combinedWith = CombinedBaselineOf(directory) is { } folder ? LoadBaseline(folder) : null;
        var (model, metadata) = CheckpointModels.LoadClassifier(TrainingOutput.Resolve(directory).Path);
        var labels = metadata.Labels!;
        IReadOnlyList<ClassifierPrediction> Gpt2(IReadOnlyList<string> texts) => ClassifierEvaluator.Predict(model, texts, labels, metadata.Model.ContextLength);
        if (combinedWith is null) return new Member(AspectOf(labels), labels, "GPT-2", Gpt2, model);
        if (!combinedWith.Labels.SequenceEqual(labels))
        {
            model.Dispose();
            throw new CheckpointException($"The baseline in '{directory}' has other labels than its GPT-2 classifier; train the classifier again.");
        }
        return new Member(AspectOf(labels), labels, "GPT-2 and the baseline combined",
            texts => ClassifierEnsemble.Average(Gpt2(texts), combinedWith.Predict(texts), labels), model);
    }

    /// <summary>The run's baseline folder when <paramref name="directory"/> is a run whose report chose GPT-2 and its
    /// baseline combined.</summary>
    public static string? CombinedBaselineOf(string directory)
    {
        var inRun = Path.Combine(directory, BaselineComparison.FolderName);
        return new RunFolder(directory).ReadReport()?.Baseline is { EvidenceUsesCombined: true } && BaselineClassifier.Exists(inRun) ? inRun : null;
    }

    private static EncoderClassifier LoadEncoder(string folder)
    {
        try
        {
            return EncoderClassifier.Load(folder);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException)
        {
            throw new CheckpointException($"The encoder classifier in '{folder}' cannot be read ({e.Message}); train the classifier again.");
        }
    }

    private static BaselineClassifier LoadBaseline(string folder)
    {
        try
        {
            return BaselineClassifier.Load(folder);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException)
        {
            throw new CheckpointException($"The baseline classifier in '{folder}' cannot be read ({e.Message}); train the classifier again.");
        }
    }

    /// <summary>"sentiment" when every label is a sentiment word, else "category".</summary>
    public static string AspectOf(IReadOnlyList<string> labels) => labels.All(SentimentWords.Contains) ? Sentiment : Category;

    /// <summary>For each text, the prediction of every classifier in the set, keyed by aspect.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, ClassifierPrediction>> Classify(IReadOnlyList<string> texts)
    {
        var perAspect = members.Select(m => (m.Aspect, Predictions: m.Predict(texts))).ToList();
        return [.. Enumerable.Range(0, texts.Count).Select(i => (IReadOnlyDictionary<string, ClassifierPrediction>)perAspect.ToDictionary(p => p.Aspect, p => p.Predictions[i]))];
    }

    public void Dispose()
    {
        foreach (var member in members) member.Owned?.Dispose();
        members.Clear();
    }

    private sealed record Member(string Aspect, IReadOnlyList<string> Labels, string Model,
        Func<IReadOnlyList<string>, IReadOnlyList<ClassifierPrediction>> Predict, ClassificationHead? Owned);
}
