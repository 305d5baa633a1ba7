namespace Planner.Engine.Training;

/// <summary>Linear warmup to the peak, then cosine decay to the minimum at the last step (nanoGPT's get_lr).</summary>
public static class LearningRateSchedule
{
    /// <summary>Learning rate for optimizer step <paramref name="step"/> (0-based).</summary>
    public static double At(long step, TrainingConfig config)
    {
        if (step < config.WarmupSteps) return config.LearningRate * (step + 1) / config.WarmupSteps;
        var decaySteps = Math.Max(1, config.MaxSteps - config.WarmupSteps);
        var progress = Math.Clamp((double)(step - config.WarmupSteps) / decaySteps, 0, 1);
        var cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return config.MinLearningRate + cosine * (config.LearningRate - config.MinLearningRate);
    }
}
