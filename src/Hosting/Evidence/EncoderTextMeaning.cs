using Planner.Engine.Evaluation;
using Planner.Insights;

namespace Planner.Hosting.Evidence;

/// <summary>Binds Planner's <see cref="ITextMeaning"/> port to the Engine's pretrained sentence encoder
/// (<see cref="SentenceEmbeddings"/>), for review matching.</summary>
public sealed class EncoderTextMeaning : ITextMeaning
{
    public static readonly EncoderTextMeaning Instance = new();

    public string Description => "all-MiniLM-L6-v2 sentence embeddings";

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts) => SentenceEmbeddings.Encode(texts);
}
