namespace Planner.Engine.Training;

/// <summary>How a training run ended: the last step, its losses (and the best validation macro-F1 when the run kept its best checkpoint by that), and whether it stopped early.</summary>
public sealed record TrainingResult(long Step, double LastTrainLoss, double? BestValidationLoss, bool StoppedEarly, string CheckpointDirectory,
    double? BestMacroF1 = null);
