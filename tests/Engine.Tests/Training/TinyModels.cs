using Planner.Engine.Data;
using Planner.Engine.Model;

namespace Planner.Engine.Tests.Training;

/// <summary>Small shapes and corpora that keep the training tests to seconds on two cores.</summary>
internal static class TinyModels
{
    /// <summary>GPT-2's vocabulary (the data is real GPT-2 tokens) on a 1-layer, 32-wide body.</summary>
    public static readonly GptConfig Gpt2Vocabulary = new(GptConfig.Gpt2VocabSize, ContextLength: 256, Layers: 1, Heads: 2, Embedding: 32);

    public static TokenDataset SampleDocs(int seed = 1) =>
        TokenDataset.Build(new CorpusLoader().Load(Path.Combine(RepositoryRoot.Path, "data", "sample", "docs")).Documents, 256, seed);
}
