namespace Planner.Documents;

/// <summary>Where a passage comes from: the document and its page (PDF), line range (text, Markdown) or row (CSV).</summary>
public sealed record Citation(int DocumentId, string DocumentName, int? Page = null, int? FirstLine = null, int? LastLine = null, int? Row = null)
{
    public override string ToString() =>
        Page is { } p ? $"{DocumentName}, p. {p}"
        : Row is { } r ? $"{DocumentName}, row {r}"
        : FirstLine is { } a ? (LastLine is { } b && b != a ? $"{DocumentName}, lines {a}–{b}" : $"{DocumentName}, line {a}")
        : DocumentName;
}
