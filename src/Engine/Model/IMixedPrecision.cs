using static TorchSharp.torch;

namespace Planner.Engine.Model;

/// <summary>A part of the model that multiplies, and can multiply in a lower precision than its float32 weights
/// (set through <see cref="MixedPrecision.Use"/>).</summary>
internal interface IMixedPrecision
{
    /// <summary>The type the matrix products run in; null: the weights' own (float32), with no cast at all.</summary>
    ScalarType? MatmulType { get; set; }
}
