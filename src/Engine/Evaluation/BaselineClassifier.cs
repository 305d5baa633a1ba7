using Microsoft.ML;
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

    private readonly MulticlassModel model;

    private BaselineClassifier(MulticlassModel model) => this.model = model;

    /// <summary>The labels in the order of <see cref="ClassifierPrediction.Probabilities"/>.</summary>
    public IReadOnlyList<string> Labels => model.Labels;

    /// <summary>Trains on <paramref name="train"/>; <paramref name="labels"/> fixes the order of the probabilities (each
    /// label needs at least one training example).</summary>
    public static BaselineClassifier Train(IReadOnlyList<LabelledExample> train, IReadOnlyList<string> labels, int seed)
    {
        MulticlassModel.RequireEveryLabel(train, labels, "baseline");
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
        return new BaselineClassifier(new MulticlassModel(ml, pipeline.Fit(data), data.Schema, labels));
    }

    /// <summary>The predicted label and the probability of every label, for each text.</summary>
    public IReadOnlyList<ClassifierPrediction> Predict(IReadOnlyList<string> texts) =>
        // The label column is part of the input schema; its value is not read when predicting.
        model.Predict(model.Context.Data.LoadFromEnumerable(texts.Select(t => new Row { Text = t, Label = Labels[0] })));

    public ClassificationReport Evaluate(IReadOnlyList<LabelledExample> examples) =>
        ClassificationReport.Of(examples, Predict([.. examples.Select(e => e.Text)]), Labels);

    /// <summary>Writes the model to <paramref name="directory"/>/<see cref="ModelFile"/> (a whole file or none).</summary>
    public void Save(string directory) =>
        model.Save(directory, ModelFile, model.Context.Data.LoadFromEnumerable(Array.Empty<Row>()).Schema);

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, ModelFile));

    public static BaselineClassifier Load(string directory) => new(MulticlassModel.Load(directory, ModelFile));

    private sealed class Row
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }
}
