namespace Planner.Engine.Training;

/// <summary>One optimizer step's report for a UI or the CLI. Validation numbers are set on evaluation steps only.</summary>
public sealed record TrainingProgress(
    long Step,
    long TotalSteps,
    double TrainLoss,
    double LearningRate,
    double GradientNorm,
    double TokensPerSecond,
    TimeSpan EstimatedRemaining,
    double? ValidationLoss = null,
    double? Perplexity = null);
