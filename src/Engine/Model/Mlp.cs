using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Model;

/// <summary>The feed-forward block: widen 4×, tanh-approximated GELU (as GPT-2 was trained), project back.</summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    private readonly Linear c_fc;
    private readonly Linear c_proj;

    public Mlp(GptConfig config) : base(nameof(Mlp))
    {
        c_fc = Linear(config.Embedding, 4 * config.Embedding);
        c_proj = Linear(4 * config.Embedding, config.Embedding);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = F.gelu(c_fc.forward(x), TorchSharp.Modules.GELU.Approximate.tanh);
        return c_proj.forward(h).MoveToOuterDisposeScope();
    }
}
