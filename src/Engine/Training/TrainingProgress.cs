namespace Planner.Engine.Training;

/// <summary>One optimizer step's report for a UI or the CLI. Validation numbers are set on evaluation steps only
/// (perplexity for language models, accuracy and macro-F1 for classifiers). <see cref="StepTime"/> is the optimizer
/// step alone, without evaluation or checkpointing.</summary>
public sealed record TrainingProgress(
    long Step,
    long TotalSteps,
    double TrainLoss,
    double LearningRate,
    double GradientNorm,
    double TokensPerSecond,
    TimeSpan EstimatedRemaining,
    double? ValidationLoss = null,
    double? Perplexity = null,
    double? Accuracy = null,
    double? MacroF1 = null,
    TimeSpan StepTime = default);
