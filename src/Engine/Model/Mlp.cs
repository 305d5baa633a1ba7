using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Model;

/// <summary>The feed-forward block: widen 4×, tanh-approximated GELU (as GPT-2 was trained), project back.</summary>
public sealed class Mlp : Module<Tensor, Tensor>, IMixedPrecision
{
    private readonly Linear c_fc;
    private readonly Linear c_proj;

    public Mlp(GptConfig config) : base(nameof(Mlp))
    {
        c_fc = Linear(config.Embedding, 4 * config.Embedding);
        c_proj = Linear(4 * config.Embedding, config.Embedding);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public ScalarType? MatmulType { get; set; }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var widened = MixedPrecision.Linear(c_fc, x, MatmulType);
        // The activation's one consumer is c_proj, whose backward makes its gradient afresh: GELU's backward may write over it.
        var h = FusedGelu.Applies(widened) ? FusedGelu.Apply(widened, gradientInPlace: true) : F.gelu(widened, TorchSharp.Modules.GELU.Approximate.tanh);
        var output = MixedPrecision.Linear(c_proj, h, MatmulType);
        return (MatmulType is null ? output : output.to(x.dtype)).MoveToOuterDisposeScope(); // the residual stream's type
    }
}
