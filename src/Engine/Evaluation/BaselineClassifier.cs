using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;
using Planner.Engine.Data;

namespace Planner.Engine.Evaluation;

/// <summary>The classical yardstick trained beside every GPT-2 classifier on the same split: TF-IDF over word uni- and
/// bigrams and character trigrams, then a linear model (ML.NET's SDCA maximum entropy). On a few hundred labelled
/// reviews this is hard to beat, so a GPT-2 classifier has to show it does better. One thread and a fixed seed, so the
/// same data gives the same model.</summary>
public sealed class BaselineClassifier
{
    public const string ModelFile = "model.zip";
    public const string Description = "TF-IDF word 1–2-grams and character 3-grams, linear model (SDCA maximum entropy, ML.NET)";

    private readonly MLContext ml;
    private readonly ITransformer model;
    private readonly int[] slotOfLabel; // the score slot of each label, in Labels order

    private BaselineClassifier(MLContext ml, ITransformer model, DataViewSchema input, IReadOnlyList<string>? labels)
    {
        this.ml = ml;
        this.model = model;
        var slots = default(VBuffer<ReadOnlyMemory<char>>);
        model.GetOutputSchema(input)["Score"].GetSlotNames(ref slots);
        var names = slots.DenseValues().Select(n => n.ToString()).ToList();
        Labels = labels ?? [.. names.Order(StringComparer.Ordinal)];
        slotOfLabel = [.. Labels.Select(l => names.IndexOf(l))];
    }

    /// <summary>The labels in the order of <see cref="ClassifierPrediction.Probabilities"/>.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Trains on <paramref name="train"/>; <paramref name="labels"/> fixes the order of the probabilities (each
    /// label needs at least one training example).</summary>
    public static BaselineClassifier Train(IReadOnlyList<LabelledExample> train, IReadOnlyList<string> labels, int seed)
    {
        var missing = labels.Except(train.Select(e => e.Label)).ToList();
        if (missing.Count > 0) throw new CorpusException($"The baseline has no training example of {string.Join(", ", missing)}.");
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(train.Select(e => new Row { Text = e.Text, Label = e.Label }));
        var featurize = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepPunctuations = false,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true, Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf },
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 3, UseAllLengths = false, Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf },
        };
        var pipeline = ml.Transforms.Conversion.MapValueToKey(nameof(Row.Label))
            .Append(ml.Transforms.Text.FeaturizeText("Features", featurize, nameof(Row.Text)))
            .AppendCacheCheckpoint(ml)
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = 1 }));
        return new BaselineClassifier(ml, pipeline.Fit(data), data.Schema, labels);
    }

    /// <summary>The predicted label and the probability of every label, for each text.</summary>
    public IReadOnlyList<ClassifierPrediction> Predict(IReadOnlyList<string> texts)
    {
        // The label column is part of the input schema; its value is not read when predicting.
        var input = ml.Data.LoadFromEnumerable(texts.Select(t => new Row { Text = t, Label = Labels[0] }));
        return [.. ml.Data.CreateEnumerable<Scored>(model.Transform(input), reuseRowObject: false).Select(s =>
        {
            var probabilities = slotOfLabel.Select(slot => (double)s.Score[slot]).ToArray();
            return new ClassifierPrediction(Labels[Array.IndexOf(probabilities, probabilities.Max())], probabilities);
        })];
    }

    public ClassificationReport Evaluate(IReadOnlyList<LabelledExample> examples) =>
        ClassificationReport.Of(examples, Predict([.. examples.Select(e => e.Text)]), Labels);

    /// <summary>Writes the model to <paramref name="directory"/>/<see cref="ModelFile"/> (a whole file or none).</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, ModelFile);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
            ml.Model.Save(model, ml.Data.LoadFromEnumerable(Array.Empty<Row>()).Schema, stream);
        File.Move(temp, path, overwrite: true);
    }

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, ModelFile));

    public static BaselineClassifier Load(string directory)
    {
        var ml = new MLContext(0);
        using var stream = File.OpenRead(Path.Combine(directory, ModelFile));
        var model = ml.Model.Load(stream, out var input);
        return new BaselineClassifier(ml, model, input, null);
    }

    private sealed class Row
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private sealed class Scored
    {
        public float[] Score { get; set; } = [];
    }
}
