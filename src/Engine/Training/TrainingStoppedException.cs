namespace Planner.Engine.Training;

/// <summary>A run that could not write its checkpoints or metrics (a full disk, a folder taken away) stops with this:
/// at which step, why, and which whole checkpoint is left to resume from — a half-written one never replaces it
/// (<see cref="CheckpointStore.Save"/> writes to a temp folder and swaps).</summary>
public sealed class TrainingStoppedException(string message, IOException inner, long step, long? lastCheckpointStep)
    : IOException(message, inner)
{
    /// <summary>The step whose results could not be written.</summary>
    public long Step { get; } = step;

    /// <summary>The step of the whole checkpoint left in the run's folder; null when none was written yet.</summary>
    public long? LastCheckpointStep { get; } = lastCheckpointStep;

    internal static TrainingStoppedException From(IOException e, long step, long? lastCheckpointStep, string checkpoint) => new(
        $"Training stopped at step {step}: {e.Message.TrimEnd('.', ' ')}. " + (lastCheckpointStep is { } saved
            ? $"The checkpoint from step {saved} ({checkpoint}) is whole: free some disk space, then resume the run from it."
            : "No checkpoint had been written yet: free some disk space, then start the run again."),
        e, step, lastCheckpointStep);
}
