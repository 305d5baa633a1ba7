using Planner.Engine.Tokenization;
using static TorchSharp.torch;

namespace Planner.Engine.Data;

/// <summary>A corpus as two token streams (documents joined by &lt;|endoftext|&gt;), split by document so no
/// validation text leaks into training. Batches are drawn from (seed, step), which makes resuming exact.</summary>
public sealed class TokenDataset
{
    /// <summary>GPT-2's BPE averages roughly four characters of English per token; used to phrase "add more text".</summary>
    public const int CharactersPerToken = 4;

    public int[] Train { get; }
    public int[] Validation { get; }
    public int TrainDocuments { get; }
    public int ValidationDocuments { get; }

    private TokenDataset(int[] train, int[] validation, int trainDocuments, int validationDocuments)
    {
        Train = train;
        Validation = validation;
        TrainDocuments = trainDocuments;
        ValidationDocuments = validationDocuments;
    }

    /// <summary>The split in words: "9 documents, 12,345 training tokens; 1 held out (1,234 tokens)", or for a single
    /// document (whose last tokens are held out) "1 document, 12,345 training tokens; its last 1,234 tokens held out".</summary>
    public string Describe() => ValidationDocuments > 0
        ? FormattableString.Invariant($"{TrainDocuments:N0} document{(TrainDocuments == 1 ? "" : "s")}, {Train.Length:N0} training tokens; {ValidationDocuments:N0} held out ({Validation.Length:N0} tokens)")
        : FormattableString.Invariant($"1 document, {Train.Length:N0} training tokens; its last {Validation.Length:N0} tokens held out");

    /// <summary>Splits documents into train/validation (deterministic by seed) and tokenizes them. With a single
    /// document the last part of its tokens is held out instead, as there is nothing else to validate on.</summary>
    public static TokenDataset Build(IReadOnlyList<TextDocument> documents, int contextLength, int seed, double validationFraction = 0.1)
    {
        if (documents.Count == 0)
            throw new CorpusException($"The corpus holds no readable text. Training needs at least {contextLength + 1} tokens (about {(contextLength + 1) * CharactersPerToken} characters) of text: .txt, .md, .csv, or .pdf with a text layer.");

        var tokenizer = Gpt2Tokenizer.Instance;
        var order = Enumerable.Range(0, documents.Count).ToArray();
        DeterministicRandom.For(seed, 0x5917).Shuffle(order);
        var validationCount = documents.Count < 2 ? 0 : Math.Clamp((int)Math.Round(documents.Count * validationFraction), 1, documents.Count - 1);

        int[] train, validation;
        if (validationCount == 0)
        {
            var all = Stream(documents, order, tokenizer);
            var held = Math.Max(2, (int)(all.Length * validationFraction));
            train = all[..Math.Max(0, all.Length - held)];
            validation = all[Math.Max(0, all.Length - held)..];
        }
        else
        {
            validation = Stream(documents, order[..validationCount], tokenizer);
            train = Stream(documents, order[validationCount..], tokenizer);
        }

        if (train.Length < contextLength + 1)
        {
            var missingTokens = contextLength + 1 - train.Length;
            throw new CorpusException(
                $"The corpus is too short: {train.Length} training tokens, but one context of {contextLength} needs at least {contextLength + 1}. " +
                $"Add about {missingTokens * CharactersPerToken} more characters of text (roughly {CharactersPerToken} characters per token; 10% of documents are held out for validation).");
        }
        return new TokenDataset(train, validation, documents.Count - validationCount, validationCount);
    }

    /// <summary>Streams already tokenized (tests: a corpus in a smaller vocabulary than GPT-2's).</summary>
    internal static TokenDataset FromTokens(int[] train, int[] validation) => new(train, validation, 1, 1);

    /// <summary>All documents as one stream, each followed by &lt;|endoftext|&gt; (for evaluating a whole corpus).</summary>
    public static int[] Tokenize(IReadOnlyList<TextDocument> documents) =>
        Stream(documents, Enumerable.Range(0, documents.Count), Gpt2Tokenizer.Instance);

    private static int[] Stream(IReadOnlyList<TextDocument> documents, IEnumerable<int> indices, Gpt2Tokenizer tokenizer)
    {
        var tokens = new List<int>();
        foreach (var i in indices)
        {
            tokens.AddRange(tokenizer.Encode(documents[i].Text));
            tokens.Add(Gpt2Tokenizer.EndOfText);
        }
        return [.. tokens];
    }

    /// <summary>Input and target ids (B, T) for one micro-batch of training step <paramref name="step"/>.</summary>
    public (Tensor Inputs, Tensor Targets) TrainingBatch(int batchSize, int contextLength, int seed, long step, int microStep)
    {
        var random = DeterministicRandom.For(seed, step, microStep);
        var window = Math.Min(contextLength, Train.Length - 1);
        var inputs = new long[batchSize * window];
        var targets = new long[batchSize * window];
        for (var b = 0; b < batchSize; b++)
        {
            var start = random.Next(0, Train.Length - window);
            for (var t = 0; t < window; t++)
            {
                inputs[b * window + t] = Train[start + t];
                targets[b * window + t] = Train[start + t + 1];
            }
        }
        return (tensor(inputs, [batchSize, window]), tensor(targets, [batchSize, window]));
    }

    /// <summary>Consecutive, non-overlapping windows of a stream (at most <paramref name="maxWindows"/>), for evaluation.</summary>
    public static IEnumerable<(long[] Inputs, long[] Targets)> Windows(int[] stream, int contextLength, int maxWindows)
    {
        var produced = 0;
        for (var start = 0; start + 1 < stream.Length && produced < maxWindows; start += contextLength, produced++)
        {
            var length = Math.Min(contextLength, stream.Length - 1 - start);
            yield return (stream[start..(start + length)].Select(t => (long)t).ToArray(),
                          stream[(start + 1)..(start + 1 + length)].Select(t => (long)t).ToArray());
        }
    }
}
