namespace Planner.Insights;

/// <summary>The port through which review matching asks what texts mean: one unit-length vector per text (a sentence
/// embedding), so the dot product of two is their cosine similarity. Planner does not know how they are made; the hosts
/// bind it to the Engine's pretrained sentence encoder.</summary>
public interface ITextMeaning
{
    /// <summary>What makes the vectors, e.g. "all-MiniLM-L6-v2 sentence embeddings"; shown with the evidence.</summary>
    string Description { get; }

    /// <summary>One unit-length vector per text, in the same order.</summary>
    IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts);
}
