using System.Text;

namespace Planner.Documents;

/// <summary>Cuts extracted text into passages of about <see cref="TargetChars"/> characters along paragraph
/// boundaries (blank lines, headings; for PDF pages, sentence ends), keeping each passage's citation. A CSV row is
/// its own passage: a review or a ticket is one thought.</summary>
public static class Chunker
{
    public const int TargetChars = 900;

    public static IReadOnlyList<DocumentChunk> Chunk(int documentId, string documentName, DocumentKind kind, IReadOnlyList<TextSegment> segments)
    {
        var chunks = new List<DocumentChunk>();
        void Add(string text, Citation citation)
        {
            text = text.Trim();
            if (text.Length > 0) chunks.Add(new DocumentChunk(chunks.Count, text, citation));
        }

        switch (kind)
        {
            case DocumentKind.Csv:
                foreach (var s in segments) Add(s.Text, new Citation(documentId, documentName, Row: s.Row));
                break;
            case DocumentKind.Pdf:
                foreach (var page in segments)
                    foreach (var piece in SplitLongText(page.Text))
                        Add(piece, new Citation(documentId, documentName, Page: page.Page));
                break;
            default:
                var buffer = new StringBuilder();
                int? first = null, last = null;
                void Flush()
                {
                    if (first is not null) Add(buffer.ToString(), new Citation(documentId, documentName, FirstLine: first, LastLine: last));
                    buffer.Clear();
                    first = last = null;
                }
                foreach (var line in segments)
                {
                    var isHeading = line.Text.TrimStart().StartsWith('#');
                    var isBlank = string.IsNullOrWhiteSpace(line.Text);
                    // A heading starts a new passage; a paragraph break ends one once it is long enough.
                    if ((isHeading && buffer.Length > 0) || (isBlank && buffer.Length >= TargetChars / 2)) Flush();
                    if (isBlank)
                    {
                        if (buffer.Length > 0) buffer.AppendLine(); // kept inside the passage, not in its line range
                        continue;
                    }
                    if (buffer.Length + line.Text.Length > TargetChars * 2 && buffer.Length > 0) Flush();
                    first ??= line.Line;
                    last = line.Line;
                    buffer.AppendLine(line.Text);
                }
                Flush();
                break;
        }
        return chunks;
    }

    private static IEnumerable<string> SplitLongText(string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            if (text.Length - start <= TargetChars * 1.5) { yield return text[start..]; yield break; }
            var cut = text.IndexOf(". ", start + TargetChars, StringComparison.Ordinal);
            if (cut < 0 || cut > start + TargetChars * 2) cut = Math.Min(text.Length - 1, start + TargetChars);
            yield return text[start..(cut + 1)];
            start = cut + 1;
        }
    }
}
