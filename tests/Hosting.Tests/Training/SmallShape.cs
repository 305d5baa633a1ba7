using Planner.Hosting.Training;

namespace Planner.Hosting.Tests.Training;

/// <summary>For tests of the training queue and its runs (order, cancel, resume, restart, delete, two instances) rather
/// than of what a model learns: the tiny preset cut to one layer, 32 wide, which trains, evaluates and checkpoints many
/// times faster (a checkpoint of about 20 MB instead of about 190 MB).</summary>
internal static class SmallShape
{
    public static TrainingRequest InSmallShape(this TrainingRequest request) => request with { Layers = 1, Width = 32, Heads = 2 };
}
