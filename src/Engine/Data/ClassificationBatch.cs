using Planner.Engine.Tokenization;
using static TorchSharp.torch;

namespace Planner.Engine.Data;

/// <summary>Texts tokenized for the classifier: right-padded with &lt;|endoftext|&gt;, truncated to the context.</summary>
public static class ClassificationBatch
{
    public static (Tensor Tokens, Tensor Lengths) Encode(IEnumerable<string> texts, int contextLength)
    {
        var encoded = texts.Select(t => Gpt2Tokenizer.Instance.Encode(t)).Select(ids => ids.Length == 0 ? [Gpt2Tokenizer.EndOfText] : ids[..Math.Min(ids.Length, contextLength)]).ToList();
        var width = encoded.Max(e => e.Length);
        var tokens = new long[encoded.Count * width];
        Array.Fill(tokens, Gpt2Tokenizer.EndOfText);
        for (var b = 0; b < encoded.Count; b++)
            for (var t = 0; t < encoded[b].Length; t++) tokens[b * width + t] = encoded[b][t];
        return (tensor(tokens, [encoded.Count, width]), tensor(encoded.Select(e => (long)e.Length).ToArray()));
    }
}
