using Microsoft.ML;
using Microsoft.ML.Data;
using Planner.Engine.Data;

namespace Planner.Engine.Evaluation;

/// <summary>A fitted ML.NET multiclass pipeline as the classifiers here use it: its probabilities put in a fixed label
/// order, saved whole or not at all, loaded back with the label order its score slots name. The baseline and the
/// encoder classifier differ only in how a text becomes features.</summary>
internal sealed class MulticlassModel
{
    private readonly ITransformer model;
    private readonly int[] slotOfLabel; // the score slot of each label, in Labels order

    public MulticlassModel(MLContext ml, ITransformer model, DataViewSchema input, IReadOnlyList<string>? labels)
    {
        Context = ml;
        this.model = model;
        var slots = default(VBuffer<ReadOnlyMemory<char>>);
        model.GetOutputSchema(input)["Score"].GetSlotNames(ref slots);
        var names = slots.DenseValues().Select(n => n.ToString()).ToList();
        Labels = labels ?? [.. names.Order(StringComparer.Ordinal)];
        slotOfLabel = [.. Labels.Select(l => names.IndexOf(l))];
    }

    public MLContext Context { get; }

    /// <summary>The labels in the order of <see cref="ClassifierPrediction.Probabilities"/>.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Refuses labels without a training example: a linear model cannot give them a probability.</summary>
    public static void RequireEveryLabel(IReadOnlyList<LabelledExample> train, IReadOnlyList<string> labels, string model)
    {
        var missing = labels.Except(train.Select(e => e.Label)).ToList();
        if (missing.Count > 0) throw new CorpusException($"The {model} has no training example of {string.Join(", ", missing)}.");
    }

    /// <summary>The predicted label and the probability of every label, for each row of <paramref name="input"/>.</summary>
    public IReadOnlyList<ClassifierPrediction> Predict(IDataView input) =>
        [.. Context.Data.CreateEnumerable<Scored>(model.Transform(input), reuseRowObject: false).Select(s =>
        {
            var probabilities = slotOfLabel.Select(slot => (double)s.Score[slot]).ToArray();
            return new ClassifierPrediction(Labels[Array.IndexOf(probabilities, probabilities.Max())], probabilities);
        })];

    /// <summary>Writes the model to <paramref name="directory"/>/<paramref name="file"/> (a whole file or none);
    /// <paramref name="input"/> is the schema of the rows it reads.</summary>
    public void Save(string directory, string file, DataViewSchema input)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, file);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
            Context.Model.Save(model, input, stream);
        File.Move(temp, path, overwrite: true);
    }

    public static MulticlassModel Load(string directory, string file)
    {
        var ml = new MLContext(0);
        using var stream = File.OpenRead(Path.Combine(directory, file));
        var model = ml.Model.Load(stream, out var input);
        return new MulticlassModel(ml, model, input, null);
    }

    private sealed class Scored
    {
        public float[] Score { get; set; } = [];
    }
}
