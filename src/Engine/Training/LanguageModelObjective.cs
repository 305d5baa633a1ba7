using Planner.Engine.Data;
using Planner.Engine.Evaluation;
using Planner.Engine.Model;
using static TorchSharp.torch.nn;

namespace Planner.Engine.Training;

/// <summary>Next-token prediction on a token dataset (nanoGPT's objective). The loss runs through the tied head a
/// slice at a time (<see cref="TiedHeadLoss"/>), so the full logits are never held, in training and in evaluation.</summary>
public sealed class LanguageModelObjective(Gpt model, TokenDataset data) : ITrainingObjective, IDisposable
{
    private readonly TiedHeadLoss headLoss = new();

    public Module Model => model;
    public GptConfig Config => model.Config;
    public string Kind => CheckpointMetadata.LanguageModel;
    public IReadOnlyList<string>? Labels => null;

    public string? ResumeProblem(CheckpointMetadata saved) =>
        saved.Kind != Kind ? $"holds a {saved.Kind}, not a language model."
        : saved.Model != model.Config ? $"is for a {Describe(saved.Model)} model, not {Describe(model.Config)}."
        : null;

    public (double Loss, long Tokens) ForwardBackward(TrainingConfig config, long step, int micro, double scale)
    {
        var device = model.TiedHeadWeight.device;
        var (x, y) = data.TrainingBatch(config.BatchSize, model.Config.ContextLength, config.Seed, step, micro);
        var loss = headLoss.ForwardBackward(model, x.to(device), y.to(device), scale);
        return (loss, (long)config.BatchSize * Math.Min(model.Config.ContextLength, data.Train.Length - 1));
    }

    public ObjectiveEvaluation Evaluate(TrainingConfig config)
    {
        var evaluation = LanguageModelEvaluator.Evaluate(model, data.Validation, config.EvaluationWindows, headLoss);
        return new ObjectiveEvaluation(evaluation.Loss, Perplexity: evaluation.Perplexity);
    }

    private static string Describe(GptConfig c) => $"{c.Layers}-layer, {c.Embedding}-wide, {c.ContextLength}-context";

    public void Dispose() => headLoss.Dispose();
}
