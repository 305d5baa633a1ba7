using System.Text.Json.Serialization;

namespace Planner.Engine.Training;

/// <summary>The number format a run computes its matrix products in. Weights, optimizer state, loss, softmax and
/// layer norms stay float32 either way; written in checkpoints as "fp32" or "bf16".</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainingPrecision>))]
public enum TrainingPrecision
{
    /// <summary>Everything in float32.</summary>
    [JsonStringEnumMemberName("fp32")] Fp32,

    /// <summary>Mixed precision: the Linear layers, attention and the tied head multiply in bfloat16 on float32 master
    /// weights, whose gradients and AdamW moments stay float32. No loss scaling: bfloat16 has float32's exponent range.</summary>
    [JsonStringEnumMemberName("bf16")] Bf16,
}
