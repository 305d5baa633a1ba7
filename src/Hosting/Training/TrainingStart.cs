namespace Planner.Hosting.Training;

/// <summary>A run about to train: what it trains on (<see cref="DataUsed"/>), the model (<see cref="Model"/>) and the
/// step it continues from (null from the beginning).</summary>
public sealed record TrainingStart(string DataUsed, string Model, long? ResumedFromStep);
