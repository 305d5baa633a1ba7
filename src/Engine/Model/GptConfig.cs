namespace Planner.Engine.Model;

/// <summary>GPT-2 hyperparameters (nanoGPT's GPTConfig). Context lengths are multiples of 256: llama.cpp rounds its
/// context to that and aborts the process when decoding passes a smaller trained context.</summary>
public sealed record GptConfig(int VocabSize, int ContextLength, int Layers, int Heads, int Embedding, double LayerNormEpsilon = 1e-5)
{
    public const int Gpt2VocabSize = 50257;

    /// <summary>4 layers, 256 wide, 4 heads: trains in minutes on a laptop CPU.</summary>
    public static GptConfig Tiny { get; } = new(Gpt2VocabSize, 256, 4, 4, 256);

    /// <summary>6 layers, 384 wide, 6 heads.</summary>
    public static GptConfig Small { get; } = new(Gpt2VocabSize, 512, 6, 6, 384);

    /// <summary>The 124M-parameter GPT-2 shape, loadable from Hugging Face weights.</summary>
    public static GptConfig Gpt2 { get; } = new(Gpt2VocabSize, 1024, 12, 12, 768);

    public int HeadSize => Embedding / Heads;

    /// <summary>"4 layers × 256 wide", as the hosts show a shape.</summary>
    public string Describe() => $"{Layers} {(Layers == 1 ? "layer" : "layers")} × {Embedding} wide";

    public static GptConfig Preset(string name) => name.ToLowerInvariant() switch
    {
        "tiny" => Tiny,
        "small" => Small,
        "gpt2" => Gpt2,
        // No parameter name: the message is shown to the user as is.
        _ => throw new ArgumentException($"Unknown preset '{name}'; use tiny, small or gpt2."),
    };

    /// <summary>Throws on shapes the model or llama.cpp cannot use.</summary>
    public GptConfig Validated()
    {
        if (VocabSize <= 0 || Layers <= 0 || Heads <= 0 || Embedding <= 0)
            throw new ArgumentException("Vocabulary, layers, heads and width must be positive.");
        if (Embedding % Heads != 0)
            throw new ArgumentException($"Width {Embedding} is not divisible by {Heads} heads.");
        if (ContextLength <= 0 || ContextLength % 256 != 0)
            throw new ArgumentException($"Context length {ContextLength} must be a positive multiple of 256 (llama.cpp requirement).");
        return this;
    }
}
