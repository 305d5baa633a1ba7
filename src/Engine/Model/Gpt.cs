using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Planner.Engine.Model;

/// <summary>GPT-2: token and position embeddings, a stack of blocks, a final LayerNorm, and the language-model head
/// tied to the token embedding. Parameter names match Hugging Face's GPT2Model (wte, wpe, h.N.*, ln_f), so import and
/// export are one rename table each.</summary>
public sealed class Gpt : Module<Tensor, Tensor>, IMixedPrecision
{
    private readonly Embedding wte;
    private readonly Embedding wpe;
    private readonly ModuleList<Block> h;
    private readonly LayerNorm ln_f;

    public GptConfig Config { get; }

    /// <summary>The token embedding, which is also the language-model head's weight (tied): logits = hidden · wteᵀ.</summary>
    public Parameter TiedHeadWeight => wte.weight!;

    /// <summary>The type <see cref="TiedHeadLoss"/> multiplies the head in (the blocks hold their own; set all of them
    /// through <see cref="MixedPrecision.Use"/>); null: float32.</summary>
    public ScalarType? MatmulType { get; set; }

    /// <param name="seed">Seeds the weight initialisation with a private generator, so it does not depend on (or
    /// disturb) torch's global random state; null draws from the global generator.</param>
    public Gpt(GptConfig config, long? seed = null) : base(nameof(Gpt))
    {
        Config = config.Validated();
        // Sparse: the lookup's backward hands over the rows it used instead of a dense vocabulary-sized gradient
        // (154 MB for GPT-2) made, filled and added every step; they are added in place into the tied weight's dense
        // gradient, which the optimizer creates (AdamWOptimizer.ZeroGrad) and the head's gradient fills.
        wte = Embedding(config.VocabSize, config.Embedding, sparse: true);
        wpe = Embedding(config.ContextLength, config.Embedding);
        h = new ModuleList<Block>([.. Enumerable.Range(0, config.Layers).Select(_ => new Block(config))]);
        ln_f = LayerNorm(config.Embedding, eps: config.LayerNormEpsilon);
        RegisterComponents();
        using var generator = seed is { } s ? new TorchSharp.torch.Generator((ulong)s) : null;
        InitializeWeights(generator);
    }

    /// <summary>GPT-2 initialisation: N(0, 0.02) weights, zero biases, unit LayerNorm gains; residual projections
    /// scaled by 1/sqrt(2·layers) so the residual stream's variance does not grow with depth.</summary>
    private void InitializeWeights(TorchSharp.torch.Generator? generator)
    {
        using var _ = no_grad();
        var residualStd = 0.02 / Math.Sqrt(2.0 * Config.Layers);
        foreach (var (name, p) in named_parameters())
        {
            if (name.StartsWith("ln_", StringComparison.Ordinal) || name.Contains(".ln_")) { if (name.EndsWith(".weight", StringComparison.Ordinal)) p.fill_(1.0); else p.zero_(); }
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else if (name.EndsWith("c_proj.weight", StringComparison.Ordinal)) p.normal_(0.0, residualStd, generator);
            else p.normal_(0.0, 0.02, generator);
        }
    }

    /// <summary>Logits for every position: (B, T) token ids -> (B, T, vocab).</summary>
    public override Tensor forward(Tensor idx) => forward(idx, null);

    /// <summary>Logits for the new tokens <paramref name="idx"/>, which continue the sequence held in
    /// <paramref name="cache"/> (positions start at the cache's length).</summary>
    public Tensor forward(Tensor idx, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var x = HiddenStates(idx, cache);                                             // (B, T, C)
        return RowProduct.Linear(x, wte.weight!, null).MoveToOuterDisposeScope();                    // (B, T, vocab)
    }

    /// <summary>Logits of the last new token only: (B, T) -> (B, vocab). Generation needs no more, and a prompt's other
    /// positions would each cost a product with the whole vocabulary.</summary>
    public Tensor LastLogits(Tensor idx, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var x = HiddenStates(idx, cache)[.., -1];                                       // (B, C)
        return RowProduct.Linear(x, wte.weight!, null).MoveToOuterDisposeScope();                    // (B, vocab)
    }

    /// <summary>The final, normalised hidden state of every position: (B, T) -> (B, T, C). The classifier reads it.</summary>
    public Tensor HiddenStates(Tensor idx, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        var t = idx.shape[1];
        var past = cache?.Length ?? 0;
        if (past + t > Config.ContextLength)
            throw new ArgumentException($"Sequence of {past + t} tokens is longer than the context of {Config.ContextLength}.", nameof(idx));
        var pos = arange(past, past + t, dtype: ScalarType.Int64, device: idx.device); // (T)
        var x = wte.forward(idx).add(wpe.forward(pos), KeptScalars.One);             // (B, T, C)
        var layer = 0;
        foreach (var block in h) x = block.forward(x, cache, layer++);
        return ln_f.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>A cache sized for this model, for incremental decoding.</summary>
    public KvCache NewCache() => new(Config.Layers);

    public long ParameterCount() => parameters().Sum(p => p.numel());
}
