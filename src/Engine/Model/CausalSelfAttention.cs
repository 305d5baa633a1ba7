using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Model;

/// <summary>Multi-head causal self-attention with the q, k, v projections fused in one matrix (GPT-2's c_attn).</summary>
public sealed class CausalSelfAttention : Module<Tensor, Tensor>, IMixedPrecision
{
    private readonly Linear c_attn;
    private readonly Linear c_proj;
    private readonly int heads;
    private readonly int embedding;

    public CausalSelfAttention(GptConfig config) : base(nameof(CausalSelfAttention))
    {
        heads = config.Heads;
        embedding = config.Embedding;
        c_attn = Linear(config.Embedding, 3 * config.Embedding);
        c_proj = Linear(config.Embedding, config.Embedding);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public ScalarType? MatmulType { get; set; }

    public override Tensor forward(Tensor x) => forward(x, null, 0);

    /// <summary>Attention over x and, with a cache, over the keys and values of earlier positions too.</summary>
    public Tensor forward(Tensor x, KvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1];
        var qkvRows = MixedPrecision.Linear(c_attn, x, MatmulType);                       // (B, T, 3C), in MatmulType when set
        Tensor y;
        if (cache is null && FusedCausalAttention.Applies(qkvRows, heads))
            y = FusedCausalAttention.Apply(qkvRows, heads);                               // (B, T, C), no transposes
        else
        {
            var qkv = qkvRows.split(embedding, dim: 2);                                   // 3 × (B, T, C)
            var q = qkv[0].view(b, t, heads, embedding / heads).transpose(1, 2);          // (B, nh, T, hs)
            var k = qkv[1].view(b, t, heads, embedding / heads).transpose(1, 2);
            var v = qkv[2].view(b, t, heads, embedding / heads).transpose(1, 2);
            if (cache is not null) (k, v) = cache.Append(layer, k, v);                   // (B, nh, past+T, hs)
            var past = k.shape[2] - t;
            if (past == 0)
                y = F.scaled_dot_product_attention(q, k, v, is_casual: true);             // (B, nh, T, hs)
            else if (t == 1)
                y = F.scaled_dot_product_attention(q, k, v);                              // one new token sees everything before it
            else
            {
                // New token i (at position past+i) sees positions 0..past+i.
                var mask = ones(t, past + t, dtype: ScalarType.Bool, device: x.device).tril(past);
                y = F.scaled_dot_product_attention(q, k, v, attn_mask: mask);
            }
            y = y.transpose(1, 2).contiguous().view(b, t, embedding);                     // (B, T, C)
        }
        var output = MixedPrecision.Linear(c_proj, y, MatmulType);
        return (MatmulType is null ? output : output.to(x.dtype)).MoveToOuterDisposeScope(); // the residual stream's type
    }
}
