using Planner.Engine.Data;
using Planner.Engine.Model;

namespace Planner.Engine.Tests.Training;

/// <summary>Small shapes and corpora that keep the training tests to seconds on two cores.</summary>
internal static class TinyModels
{
    /// <summary>GPT-2's vocabulary (the data is real GPT-2 tokens) on a 1-layer, 32-wide body.</summary>
    public static readonly GptConfig Gpt2Vocabulary = new(GptConfig.Gpt2VocabSize, ContextLength: 256, Layers: 1, Heads: 2, Embedding: 32);

    /// <summary>The sample company's notes as the Engine receives documents: text with their names (a host reads files).</summary>
    public static TokenDataset SampleDocs(int seed = 1) =>
        TokenDataset.Build([.. Directory.GetFiles(RepositoryRoot.SampleData("docs"), "*.md").Order(StringComparer.Ordinal)
            .Select(f => new TextDocument(f, File.ReadAllText(f)))], 256, seed);
}
