using Planner.Engine.Training;

namespace Planner.Hosting.Training;

/// <summary>A run about to train: what it trains on (<see cref="DataUsed"/>), the model (<see cref="Model"/>) and the
/// step it continues from (null from the beginning).</summary>
public sealed record TrainingStart(string DataUsed, string Model, long? ResumedFromStep)
{
    /// <summary>The precision the run trains in and why (with a warning when it will be slow on this machine).</summary>
    public PrecisionChoice? Precision { get; init; }
}
