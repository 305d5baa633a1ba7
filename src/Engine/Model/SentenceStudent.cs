using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Planner.Engine.Model;

/// <summary>GPT-2 taught to reproduce a pretrained sentence encoder's embeddings (fields <c>transformer</c> and
/// <c>projection</c>): the mean of a text's final hidden states, projected to the encoder's dimensions. Distilling the
/// encoder this way gives the GPT-2 layout a start that knows what texts mean without pretrained GPT-2 weights; a
/// classifier then starts from its <see cref="Transformer"/>.</summary>
public sealed class SentenceStudent : Module<Tensor, Tensor, Tensor>
{
    private readonly Gpt transformer;
    private readonly Linear projection;

    public int Dimensions { get; }

    public SentenceStudent(GptConfig config, int dimensions, long? seed = null) : base(nameof(SentenceStudent))
    {
        if (dimensions < 1) throw new ArgumentOutOfRangeException(nameof(dimensions), "An embedding needs at least one dimension.");
        Dimensions = dimensions;
        transformer = new Gpt(config, seed);
        projection = Linear(config.Embedding, dimensions, hasBias: false);
        using (no_grad())
        using (var generator = seed is { } s ? new Generator((ulong)s + 2) : null)
            projection.weight!.normal_(0.0, 0.02, generator);
        RegisterComponents();
    }

    /// <summary>The language model underneath.</summary>
    public Gpt Transformer => transformer;

    /// <summary>(B, T) right-padded token ids and (B) lengths -> (B, dimensions) embeddings (not normalised).</summary>
    public override Tensor forward(Tensor idx, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        var pooled = ClassificationHead.Pool(transformer.HiddenStates(idx), idx, lengths, ClassifierPooling.Mean);
        return projection.forward(pooled).MoveToOuterDisposeScope();
    }
}
