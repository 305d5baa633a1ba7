namespace Planner.Documents;

/// <summary>Reads txt, md, pdf (PdfPig, in a worker process) and csv (CsvHelper, one chosen text column) into positioned text. The type is
/// decided by content where it can be (a PDF must start with %PDF-, text must be UTF-8 or UTF-16 without NUL characters), the
/// extension only chooses between text flavours.</summary>
public static class DocumentExtractor
{
    public const long MaxBytes = 20L * 1024 * 1024;
    public static readonly string[] Extensions = [".txt", ".md", ".markdown", ".pdf", ".csv"];

    public static ExtractionResult Extract(string fileName, byte[] content, string? csvTextColumn = null)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!Extensions.Contains(extension))
            return ExtractionResult.Failed(DocumentKind.Text, $"'{Path.GetFileName(fileName)}' is not a supported document: upload .txt, .md, .pdf or .csv.");
        var kind = extension switch { ".pdf" => DocumentKind.Pdf, ".csv" => DocumentKind.Csv, ".md" or ".markdown" => DocumentKind.Markdown, _ => DocumentKind.Text };
        if (content.LongLength > MaxBytes)
            return ExtractionResult.Failed(kind, $"The file is {content.LongLength / (1024.0 * 1024):0.#} MB; documents are limited to {MaxBytes / (1024 * 1024)} MB.");
        if (content.Length == 0) return ExtractionResult.Failed(kind, "The file is empty.");

        var isPdf = content.AsSpan().StartsWith("%PDF-"u8);
        if (kind == DocumentKind.Pdf && !isPdf) return ExtractionResult.Failed(kind, "The file is named .pdf but is not a PDF.");
        if (kind != DocumentKind.Pdf && isPdf) return ExtractionResult.Failed(kind, "The file is a PDF named as text; rename it to .pdf.");
        return kind switch
        {
            DocumentKind.Pdf => PdfWorker.Extract(content), // in a process of its own: see PdfWorker
            DocumentKind.Csv => Csv(content, csvTextColumn),
            _ => Lines(kind, content),
        };
    }

    private static string? DecodeText(byte[] content, out string? error)
    {
        error = null;
        var utf16 = TextDecoding.IsUtf16(content);
        var binary = !utf16 && content.AsSpan().IndexOf((byte)0) >= 0; // UTF-8 text has no NUL byte; UTF-16 text has many
        var text = binary ? null : TextDecoding.Decode(content, out _);
        if (text is null || text.Contains('\0'))
        {
            error = binary || text is not null
                ? "The file is binary, not text."
                : $"The file is not {(utf16 ? "valid UTF-16" : "UTF-8")} text; save it as UTF-8 and upload it again.";
            return null;
        }
        return text;
    }

    private static ExtractionResult Lines(DocumentKind kind, byte[] content)
    {
        var text = DecodeText(content, out var error);
        if (text is null) return ExtractionResult.Failed(kind, error!);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var segments = lines.Select((line, n) => new TextSegment(line, Line: n + 1)).ToList();
        return segments.All(s => string.IsNullOrWhiteSpace(s.Text))
            ? ExtractionResult.Failed(kind, "The file has no text.")
            : new ExtractionResult(kind, segments, null);
    }

    /// <summary>A CSV file's table (size and encoding checked as for any document), or null with the reason.</summary>
    public static CsvTable? ReadTable(string fileName, byte[] content, out string? error)
    {
        error = null;
        if (content.LongLength > MaxBytes)
            error = $"{Path.GetFileName(fileName)} is {content.LongLength / (1024.0 * 1024):0.#} MB; documents are limited to {MaxBytes / (1024 * 1024)} MB.";
        else if (content.AsSpan().StartsWith("%PDF-"u8))
            error = $"{Path.GetFileName(fileName)} is a PDF, not a CSV.";
        var text = error is null ? DecodeText(content, out error) : null;
        return text is null ? null : CsvTable.Parse(text, out error);
    }

    private static ExtractionResult Csv(byte[] content, string? column)
    {
        var text = DecodeText(content, out var error);
        if (text is null) return ExtractionResult.Failed(DocumentKind.Csv, error!);
        if (CsvTable.Parse(text, out error) is not { } table) return ExtractionResult.Failed(DocumentKind.Csv, error!);
        var name = column ?? TextColumnGuess(table.Header);
        var index = name is null ? -1 : table.Column(name);
        if (index < 0)
            return ExtractionResult.Failed(DocumentKind.Csv, $"Choose the text column: the file has {string.Join(", ", table.Header.Select(h => $"'{h}'"))}.");
        var segments = table.Rows.Select(row => new TextSegment(row[index].Trim(), Row: row.Line)).Where(s => s.Text.Length > 0).ToList();
        return segments.Count == 0
            ? ExtractionResult.Failed(DocumentKind.Csv, $"The column '{name}' is empty.")
            : new ExtractionResult(DocumentKind.Csv, segments, null);
    }

    private static string? TextColumnGuess(IReadOnlyList<string> headers) =>
        headers.FirstOrDefault(h => h.ToLowerInvariant() is "text" or "review" or "comment" or "body" or "content" or "feedback" or "description");
}
