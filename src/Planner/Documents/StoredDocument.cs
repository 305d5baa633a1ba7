namespace Planner.Documents;

/// <summary>An uploaded document as the library keeps it: the founder's file name, the generated name it is stored
/// under (never the user's), its content hash (duplicates are refused) and what was extracted.</summary>
public sealed class StoredDocument
{
    public int Id { get; set; }
    public required string FileName { get; set; }
    public required string StoredName { get; set; }
    public DocumentKind Kind { get; set; }
    public required string Sha256 { get; set; }
    public long Bytes { get; set; }
    public int Chunks { get; set; }
    public string? CsvTextColumn { get; set; }
    public DateTime AddedUtc { get; set; }
}
