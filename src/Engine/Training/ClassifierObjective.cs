using Planner.Engine.Data;
using Planner.Engine.Evaluation;
using Planner.Engine.Model;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Training;

/// <summary>Labelled texts through a <see cref="ClassificationHead"/>: cross-entropy on each batch (each class weighed by the inverse of its frequency when
/// <see cref="TrainingConfig.BalanceClasses"/> is set); each evaluation
/// measures validation loss, accuracy and macro-F1 on every held-out example.</summary>
public sealed class ClassifierObjective : ITrainingObjective
{
    private readonly ClassificationHead model;
    private readonly IReadOnlyList<LabelledExample> train;
    private readonly IReadOnlyList<LabelledExample> validation;
    private readonly Dictionary<string, int> labelIndex;
    private readonly float[] classWeights;

    public ClassifierObjective(ClassificationHead model, IReadOnlyList<string> labels, IReadOnlyList<LabelledExample> train, IReadOnlyList<LabelledExample> validation)
    {
        if (train.Count == 0) throw new CorpusException("There are no training examples.");
        (this.model, this.train, this.validation, Labels) = (model, train, validation, labels);
        labelIndex = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i);
        classWeights = ClassWeights(labels, train);
    }

    /// <summary>Inverse-frequency weights, n / (classes × n_c), normalised so the training examples weigh n in all; a label
    /// with no training example gets weight 0 (it cannot be learned from this split).</summary>
    public static float[] ClassWeights(IReadOnlyList<string> labels, IReadOnlyList<LabelledExample> train)
    {
        var counts = labels.Select(l => train.Count(e => e.Label == l)).ToArray();
        var present = counts.Count(c => c > 0);
        return [.. counts.Select(c => c == 0 ? 0f : (float)((double)train.Count / (present * c)))];
    }

    public nn.Module Model => model;
    public GptConfig Config => model.Transformer.Config;
    public string Kind => CheckpointMetadata.Classifier;
    public IReadOnlyList<string> Labels { get; }

    public ClassifierPooling? Pooling => model.Pooling;

    public string? ResumeProblem(CheckpointMetadata saved) =>
        saved.Kind != Kind || saved.Model != Config || saved.Labels is null || !saved.Labels.SequenceEqual(Labels)
            ? $"is not a classifier of this shape with labels {string.Join(", ", Labels)}."
            : (saved.Pooling ?? ClassifierPooling.Last) != model.Pooling
            ? $"pools {ClassificationHead.Describe(saved.Pooling ?? ClassifierPooling.Last)}, not {ClassificationHead.Describe(model.Pooling)}."
            : null;

    public (double Loss, long Tokens) ForwardBackward(TrainingConfig config, long step, int micro, double scale)
    {
        var device = model.Transformer.TiedHeadWeight.device;
        var random = DeterministicRandom.For(config.Seed, step, micro);
        var batch = Enumerable.Range(0, config.BatchSize).Select(_ => train[random.Next(train.Count)]).ToList();
        var (x, lengths) = ClassificationBatch.Encode(batch.Select(e => e.Text), Config.ContextLength);
        var y = tensor(batch.Select(e => (long)labelIndex[e.Label]).ToArray()).to(device);
        using var weight = config.BalanceClasses ? tensor(classWeights).to(device) : null;
        var loss = F.cross_entropy(model.forward(x.to(device), lengths.to(device)), y, weight: weight);
        using Scalar kept = scale; // alive until after the call (see KeptScalars)
        loss.mul(kept).backward();
        return (loss.item<float>(), x.numel());
    }

    public ObjectiveEvaluation? Evaluate(TrainingConfig config)
    {
        if (validation.Count == 0) return null;
        var report = ClassifierEvaluator.Evaluate(model, validation, Labels, Config.ContextLength, out var loss);
        return new ObjectiveEvaluation(loss, Accuracy: report.Accuracy, MacroF1: report.MacroF1);
    }
}
