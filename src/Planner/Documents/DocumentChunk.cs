namespace Planner.Documents;

/// <summary>A retrievable passage of a document, a few paragraphs long, with its citation.</summary>
public sealed record DocumentChunk(int Index, string Text, Citation Citation);
