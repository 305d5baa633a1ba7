namespace Planner.Documents;

/// <summary>Added (with the stored document), or refused with a sentence that says why; a refused upload changes nothing.</summary>
public sealed record AddDocumentResult(StoredDocument? Document, string? Error)
{
    public bool Ok => Document is not null;
}
