namespace Planner.Documents;

/// <summary>A piece of extracted text with its place in the source: a line (text/Markdown), a page (PDF) or a row (CSV).</summary>
public sealed record TextSegment(string Text, int? Page = null, int? Line = null, int? Row = null);
