namespace Planner.Engine.Training;

/// <summary>How a training run ended: the last step, its losses, and whether it stopped early.</summary>
public sealed record TrainingResult(long Step, double LastTrainLoss, double? BestValidationLoss, bool StoppedEarly, string CheckpointDirectory);
