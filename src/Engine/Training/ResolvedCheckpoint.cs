namespace Planner.Engine.Training;

/// <summary>A checkpoint folder found for a path, and which one it is.</summary>
public sealed record ResolvedCheckpoint(string Path, CheckpointChoice Choice)
{
    /// <summary>Words for a log or the command line, e.g. "the run's best checkpoint (step 40), runs/a/best".</summary>
    public string Describe()
    {
        var step = CheckpointStore.ReadMetadata(Path).Step;
        return Choice switch
        {
            CheckpointChoice.Best => $"the run's best checkpoint (step {step}), {Path}",
            CheckpointChoice.Latest => $"the run's latest checkpoint (step {step}; it has no best one), {Path}",
            _ => $"the checkpoint at step {step}, {Path}",
        };
    }
}
