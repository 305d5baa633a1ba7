using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Model;

/// <summary>Mixed precision done by hand: TorchSharp 0.107 has no autocast, so the parts that multiply (attention's and
/// the MLP's Linear layers, attention itself, the tied head in <see cref="TiedHeadLoss"/>) cast their inputs and
/// weights to the lower type for the product and hand float32 back to the residual stream. The casts are autograd
/// operations, so the gradients land in the float32 parameters; embeddings, layer norms, the loss and its softmax stay
/// float32.</summary>
public static class MixedPrecision
{
    /// <summary>Sets the type every multiplying part of <paramref name="model"/> computes in (null: float32, no casts)
    /// until the returned scope is disposed, which restores what was set before.</summary>
    public static IDisposable Use(TorchSharp.torch.nn.Module model, ScalarType? matmulType)
    {
        var parts = model.modules().Prepend(model).OfType<IMixedPrecision>().ToList();
        var previous = parts.Select(p => p.MatmulType).ToList();
        foreach (var part in parts) part.MatmulType = matmulType;
        return new Restore(parts, previous);
    }

    /// <summary><paramref name="layer"/> on <paramref name="x"/>, in <paramref name="type"/> when set (input, weight and
    /// bias cast; the result stays in that type; in bfloat16 while learning, through <see cref="Bf16Linear"/> where it
    /// applies), else in float32 (a decoding step's single row through <see cref="RowProduct"/>).</summary>
    internal static Tensor Linear(Linear layer, Tensor x, ScalarType? type) => type switch
    {
        ScalarType.BFloat16 when Bf16Linear.Applies(x, layer) => Bf16Linear.Apply(layer, x),
        { } t => F.linear(x.to(t), layer.weight!.to(t), layer.bias?.to(t)),
        null => RowProduct.Linear(x, layer.weight!, layer.bias),
    };

    private sealed class Restore(List<IMixedPrecision> parts, List<ScalarType?> previous) : IDisposable
    {
        public void Dispose()
        {
            for (var i = 0; i < parts.Count; i++) parts[i].MatmulType = previous[i];
        }
    }
}
