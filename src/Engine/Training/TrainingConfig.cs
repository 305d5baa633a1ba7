namespace Planner.Engine.Training;

/// <summary>Optimisation settings (nanoGPT's train.py knobs). Defaults suit fine-tuning a small model on a laptop CPU.</summary>
public sealed record TrainingConfig
{
    public int MaxSteps { get; init; } = 200;
    public int BatchSize { get; init; } = 4;
    /// <summary>Micro-batches summed before each optimizer step: an effective batch of BatchSize × this.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;
    public double LearningRate { get; init; } = 6e-4;
    /// <summary>Where the cosine schedule ends (nanoGPT: a tenth of the peak).</summary>
    public double MinLearningRate { get; init; } = 6e-5;
    public int WarmupSteps { get; init; } = 10;
    public double WeightDecay { get; init; } = 0.1;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.95;
    public double Epsilon { get; init; } = 1e-8;
    /// <summary>Global gradient-norm clip; 0 disables it.</summary>
    public double GradientClip { get; init; } = 1.0;
    public int EvaluationInterval { get; init; } = 50;
    /// <summary>At most this many context-length windows of validation text per evaluation.</summary>
    public int EvaluationWindows { get; init; } = 16;
    public int CheckpointInterval { get; init; } = 50;
    /// <summary>Stop after this many evaluations without a better validation loss; 0 never stops early.</summary>
    public int EarlyStoppingPatience { get; init; } = 5;
    public int Seed { get; init; } = 1337;

    /// <summary>Keep the best checkpoint and stop early by validation macro-F1 (higher is better; a tie goes to the lower
    /// validation loss) instead of by validation loss: what a classifier on imbalanced labels is judged by.</summary>
    public bool SelectByMacroF1 { get; init; }

    /// <summary>Weigh each class's examples in the classifier's loss by the inverse of its share of the training data, so
    /// a rare label counts as much as a common one.</summary>
    public bool BalanceClasses { get; init; }

    /// <summary>The number format of the matrix products (<see cref="PrecisionChoice"/> decides it for a run); master
    /// weights and optimizer state are float32 either way. Checkpoints from before this setting read as float32.</summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Fp32;

    public TrainingConfig Validated()
    {
        if (MaxSteps <= 0 || BatchSize <= 0 || GradientAccumulationSteps <= 0)
            throw new ArgumentException("Steps, batch size and gradient accumulation must be positive.");
        if (LearningRate <= 0 || MinLearningRate < 0 || MinLearningRate > LearningRate)
            throw new ArgumentException("The learning rate must be positive and at least the minimum learning rate.");
        if (EvaluationInterval <= 0 || CheckpointInterval <= 0 || EvaluationWindows <= 0 || WarmupSteps < 0 || EarlyStoppingPatience < 0)
            throw new ArgumentException("Intervals must be positive; warmup and patience cannot be negative.");
        return this;
    }
}
