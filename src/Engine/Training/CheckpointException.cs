namespace Planner.Engine.Training;

/// <summary>A checkpoint or model file cannot be used (missing, truncated, corrupted, or shaped for another model).</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);
