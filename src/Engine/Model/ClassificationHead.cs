using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Planner.Engine.Model;

/// <summary>GPT-2 with a linear classifier on the final hidden state of each sequence's last real token (Hugging Face's
/// GPT2ForSequenceClassification: fields <c>transformer</c> and <c>score</c>). Sequences are right-padded; the model
/// is causal, so padding after the last token cannot change its hidden state.</summary>
public sealed class ClassificationHead : Module<Tensor, Tensor, Tensor>
{
    private readonly Gpt transformer;
    private readonly Linear score;

    public int Classes { get; }

    public ClassificationHead(GptConfig config, int classes, long? seed = null) : base(nameof(ClassificationHead))
    {
        if (classes < 2) throw new ArgumentException("A classifier needs at least two classes.", nameof(classes));
        Classes = classes;
        transformer = new Gpt(config, seed);
        score = Linear(config.Embedding, classes, hasBias: false);
        using (no_grad())
        using (var generator = seed is { } s ? new Generator((ulong)s + 1) : null)
            score.weight!.normal_(0.0, 0.02, generator);
        RegisterComponents();
    }

    /// <summary>The language model underneath (to initialise from a pretrained checkpoint).</summary>
    public Gpt Transformer => transformer;

    /// <summary>(B, T) right-padded token ids and (B) lengths -> (B, classes) logits.</summary>
    public override Tensor forward(Tensor idx, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        var hidden = transformer.HiddenStates(idx);                                  // (B, T, C)
        var batch = arange(idx.shape[0], dtype: ScalarType.Int64, device: idx.device);
        var last = hidden[batch, lengths.to(ScalarType.Int64).to(idx.device).sub(KeptScalars.One)]; // (B, C): lengths − 1
        return score.forward(last).MoveToOuterDisposeScope();                         // (B, classes)
    }
}
