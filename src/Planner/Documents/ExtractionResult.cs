namespace Planner.Documents;

/// <summary>The text of an uploaded file in segments, or why it could not be read (a sentence for the founder).</summary>
public sealed record ExtractionResult(DocumentKind Kind, IReadOnlyList<TextSegment> Segments, string? Error)
{
    public bool Ok => Error is null;

    public static ExtractionResult Failed(DocumentKind kind, string error) => new(kind, [], error);
}
