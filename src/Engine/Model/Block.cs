using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Planner.Engine.Model;

/// <summary>A pre-LayerNorm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)).</summary>
public sealed class Block : Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1;
    private readonly CausalSelfAttention attn;
    private readonly LayerNorm ln_2;
    private readonly Mlp mlp;

    public Block(GptConfig config) : base(nameof(Block))
    {
        ln_1 = LayerNorm(config.Embedding, eps: config.LayerNormEpsilon);
        attn = new CausalSelfAttention(config);
        ln_2 = LayerNorm(config.Embedding, eps: config.LayerNormEpsilon);
        mlp = new Mlp(config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => forward(x, null, 0);

    public Tensor forward(Tensor x, KvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        x = x.add(attn.forward(ln_1.forward(x), cache, layer), KeptScalars.One); // residuals, with a kept alpha (KeptScalars)
        x = x.add(mlp.forward(ln_2.forward(x)), KeptScalars.One);
        return x.MoveToOuterDisposeScope();
    }
}
