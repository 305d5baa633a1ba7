using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Planner.Engine.Model;

/// <summary>How a classifier turns a sequence's hidden states into one vector (written by name in checkpoints).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ClassifierPooling>))]
public enum ClassifierPooling
{
    /// <summary>The last real token's hidden state (Hugging Face's GPT2ForSequenceClassification).</summary>
    Last,

    /// <summary>The mean of the real tokens' hidden states (padding left out).</summary>
    Mean,
}

/// <summary>GPT-2 with a linear classifier (fields <c>transformer</c> and <c>score</c>, as Hugging Face's
/// GPT2ForSequenceClassification) on one vector per sequence: the last real token's final hidden state, or the mean of
/// all real tokens' (<see cref="ClassifierPooling"/>). Sequences are right-padded; the model is causal, so padding after
/// the last token cannot change the real tokens' hidden states.</summary>
public sealed class ClassificationHead : Module<Tensor, Tensor, Tensor>
{
    private readonly Gpt transformer;
    private readonly Linear score;

    public int Classes { get; }

    public ClassifierPooling Pooling { get; }

    public ClassificationHead(GptConfig config, int classes, long? seed = null, ClassifierPooling pooling = ClassifierPooling.Last) : base(nameof(ClassificationHead))
    {
        if (classes < 2) throw new ArgumentException("A classifier needs at least two classes.", nameof(classes));
        Classes = classes;
        Pooling = pooling;
        transformer = new Gpt(config, seed);
        score = Linear(config.Embedding, classes, hasBias: false);
        using (no_grad())
        using (var generator = seed is { } s ? new Generator((ulong)s + 1) : null)
            score.weight!.normal_(0.0, 0.02, generator);
        RegisterComponents();
    }

    /// <summary>"the last token" or "the mean of its tokens", for messages.</summary>
    public static string Describe(ClassifierPooling pooling) => pooling == ClassifierPooling.Mean ? "the mean of its tokens" : "the last token";

    /// <summary>The language model underneath (to initialise from a pretrained checkpoint).</summary>
    public Gpt Transformer => transformer;

    /// <summary>(B, T) right-padded token ids and (B) lengths -> (B, classes) logits.</summary>
    public override Tensor forward(Tensor idx, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        return score.forward(Pool(transformer.HiddenStates(idx), idx, lengths, Pooling)).MoveToOuterDisposeScope(); // (B, classes)
    }

    /// <summary>(B, T, C) hidden states of right-padded sequences -> (B, C): the last real token's, or the mean of the real tokens'.</summary>
    public static Tensor Pool(Tensor hidden, Tensor idx, Tensor lengths, ClassifierPooling pooling)
    {
        var counts = lengths.to(ScalarType.Int64).to(idx.device);                    // (B)
        if (pooling == ClassifierPooling.Mean)
        {
            var real = arange(idx.shape[1], dtype: ScalarType.Int64, device: idx.device).unsqueeze(0).lt(counts.unsqueeze(1)); // (B, T)
            return hidden.mul(real.unsqueeze(2).to(hidden.dtype)).sum(1).div(counts.unsqueeze(1).to(hidden.dtype)); // (B, C)
        }
        var batch = arange(idx.shape[0], dtype: ScalarType.Int64, device: idx.device);
        return hidden[batch, counts.sub(KeptScalars.One)];                          // (B, C): lengths − 1
    }
}
