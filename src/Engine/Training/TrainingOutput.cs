namespace Planner.Engine.Training;

/// <summary>The folder a <see cref="Trainer"/> writes: <c>checkpoint/</c> (the latest, with optimizer state, to resume
/// from), <c>best/</c> (the lowest validation loss) and <c>metrics.jsonl</c> (a line per optimizer step). The one place
/// that knows these names and which checkpoint stands for a run.</summary>
public sealed record TrainingOutput(string Directory)
{
    public const string LatestName = "checkpoint";
    public const string BestName = "best";
    public const string MetricsName = "metrics.jsonl";

    public string Latest => Path.Combine(Directory, LatestName);
    public string Best => Path.Combine(Directory, BestName);
    public string Metrics => Path.Combine(Directory, MetricsName);

    /// <summary>The checkpoint that stands for the run: the best one, else the latest; null when there is neither.</summary>
    public ResolvedCheckpoint? BestOrLatest() =>
        CheckpointStore.Exists(Best) ? new ResolvedCheckpoint(Best, CheckpointChoice.Best)
        : CheckpointStore.Exists(Latest) ? new ResolvedCheckpoint(Latest, CheckpointChoice.Latest)
        : null;

    /// <summary>A checkpoint folder as given, or a training run's folder (its best checkpoint, else its latest). Throws
    /// <see cref="CheckpointException"/> saying what the folder lacks when it is neither.</summary>
    public static ResolvedCheckpoint Resolve(string path)
    {
        if (CheckpointStore.Exists(path)) return new ResolvedCheckpoint(path, CheckpointChoice.AsGiven);
        if (System.IO.Directory.Exists(path) && new TrainingOutput(path).BestOrLatest() is { } inRun) return inRun;
        throw new CheckpointException(System.IO.Directory.Exists(path)
            ? $"'{path}' is neither a checkpoint (it has no {CheckpointStore.MetadataFile}) nor a training run's folder (it has no {BestName}/ or {LatestName}/ checkpoint)."
            : $"'{path}' does not exist: give a checkpoint folder or a training run's folder.");
    }
}
