namespace Planner.Engine.Training;

/// <summary>A run whose loss or gradients stopped being finite numbers — as a rule, a learning rate too high for the
/// model and data — stops with this before the optimizer applies them and before anything of that step is written, so
/// no checkpoint or metrics line holds an infinite or undefined value.</summary>
public sealed class TrainingDivergedException(string message, long step) : Exception(message)
{
    /// <summary>The step (counted from 1) whose loss or gradients were not finite.</summary>
    public long Step { get; } = step;

    /// <summary>Throws when <paramref name="loss"/> (the step's training or validation loss) or
    /// <paramref name="gradientNorm"/> is infinite or NaN.</summary>
    /// <param name="step">The step being computed, counted from 1.</param>
    internal static void ThrowIfNotFinite(long step, double learningRate, double loss, double gradientNorm = 0, string lossName = "loss")
    {
        var what = !double.IsFinite(loss) ? $"the {lossName} is {Describe(loss)}"
            : !double.IsFinite(gradientNorm) ? $"the gradients' norm is {Describe(gradientNorm)}"
            : null;
        if (what is null) return;
        throw new TrainingDivergedException(
            $"Training stopped at step {step}: {what}, so the model diverged — the learning rate ({learningRate:G3} at that " +
            "step) is too high for it. Start again with a lower learning rate; nothing from this step was saved.", step);
    }

    private static string Describe(double value) => double.IsNaN(value) ? "not a number (NaN)" : "infinite";
}
