using Planner.Engine.Model;

namespace Planner.Engine.Training;

/// <summary>The self-describing <c>config.json</c> of a checkpoint directory: what model it holds, how far training got
/// and with which settings (a classifier chosen by macro-F1 keeps the best one in <see cref="BestMacroF1"/>; a classifier's
/// <see cref="Pooling"/> is null in checkpoints written before it could be chosen, which pooled the last token). Training batches are drawn from (Training.Seed, step), so Step is also the data position.</summary>
public sealed record CheckpointMetadata(
    string Kind,
    GptConfig Model,
    long Step,
    double? BestValidationLoss,
    int EvaluationsWithoutImprovement,
    TrainingConfig Training,
    IReadOnlyList<string>? Labels = null,
    double? BestMacroF1 = null,
    ClassifierPooling? Pooling = null)
{
    public const string CurrentFormat = "planner-gpt2-checkpoint/1";
    public const string LanguageModel = "language-model";
    public const string Classifier = "classifier";
    public const string SentenceStudent = "sentence-student";

    public string Format { get; init; } = CurrentFormat;
}
