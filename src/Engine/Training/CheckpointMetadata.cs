using Planner.Engine.Model;

namespace Planner.Engine.Training;

/// <summary>The self-describing <c>config.json</c> of a checkpoint directory: what model it holds, how far training got
/// and with which settings. Training batches are drawn from (Training.Seed, step), so Step is also the data position.</summary>
public sealed record CheckpointMetadata(
    string Kind,
    GptConfig Model,
    long Step,
    double? BestValidationLoss,
    int EvaluationsWithoutImprovement,
    TrainingConfig Training,
    IReadOnlyList<string>? Labels = null)
{
    public const string CurrentFormat = "planner-gpt2-checkpoint/1";
    public const string LanguageModel = "language-model";
    public const string Classifier = "classifier";

    public string Format { get; init; } = CurrentFormat;
}
