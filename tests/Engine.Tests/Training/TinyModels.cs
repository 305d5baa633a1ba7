using Planner.Engine.Data;
using Planner.Engine.Model;

namespace Planner.Engine.Tests.Training;

/// <summary>Small shapes and corpora that keep the training tests to seconds on two cores.</summary>
internal static class TinyModels
{
    /// <summary>GPT-2's vocabulary (the data is real GPT-2 tokens) on a 1-layer, 32-wide body.</summary>
    public static readonly GptConfig Gpt2Vocabulary = new(GptConfig.Gpt2VocabSize, ContextLength: 256, Layers: 1, Heads: 2, Embedding: 32);

    /// <summary>The sample company's notes in a vocabulary of <paramref name="vocabulary"/> tokens: GPT-2's most frequent
    /// training tokens keep an id each (by frequency), every other token shares the last one. Real text for a model
    /// whose head is small (the bfloat16 tests run where bfloat16 has no hardware support).</summary>
    public static TokenDataset SampleDocsIn(int vocabulary, int seed = 1)
    {
        var gpt2 = SampleDocs(seed);
        var ids = gpt2.Train.CountBy(t => t).OrderByDescending(c => c.Value).ThenBy(c => c.Key).Take(vocabulary - 1)
            .Select((c, i) => (c.Key, i)).ToDictionary(p => p.Key, p => p.i);
        int[] Map(int[] stream) => [.. stream.Select(t => ids.GetValueOrDefault(t, vocabulary - 1))];
        return TokenDataset.FromTokens(Map(gpt2.Train), Map(gpt2.Validation));
    }

    /// <summary>The sample company's notes as the Engine receives documents: text with their names (a host reads files).</summary>
    public static TokenDataset SampleDocs(int seed = 1) =>
        TokenDataset.Build([.. Directory.GetFiles(RepositoryRoot.SampleData("docs"), "*.md").Order(StringComparer.Ordinal)
            .Select(f => new TextDocument(f, File.ReadAllText(f)))], 256, seed);
}
