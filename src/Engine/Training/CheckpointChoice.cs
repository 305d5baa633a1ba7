namespace Planner.Engine.Training;

/// <summary>Which checkpoint a path given for a model stood for.</summary>
public enum CheckpointChoice
{
    /// <summary>The path was a checkpoint folder itself.</summary>
    AsGiven,

    /// <summary>A run's folder: its best checkpoint (lowest validation loss).</summary>
    Best,

    /// <summary>A run's folder without a best checkpoint: its latest.</summary>
    Latest,
}
