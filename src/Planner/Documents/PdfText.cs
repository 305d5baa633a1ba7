using UglyToad.PdfPig;

namespace Planner.Documents;

/// <summary>A PDF's text, page by page, read with PdfPig in the current process. Only the document worker calls it:
/// PdfPig can overflow the stack on deeply nested objects and inflates every filter into memory, so untrusted PDFs are
/// read in a process of their own (<see cref="PdfWorker"/>) whose memory and time are capped.</summary>
public static class PdfText
{
    /// <summary>The most characters of text one PDF may give (about 5,000 dense pages), so that a page stream of raw text
    /// cannot fill the index or the worker's reply.</summary>
    public const int MaxChars = 10_000_000;

    public static ExtractionResult Read(byte[] content)
    {
        if (PdfInflationCheck.Problem(content) is { } problem) return ExtractionResult.Failed(DocumentKind.Pdf, problem);
        try
        {
            using var pdf = PdfDocument.Open(content);
            var segments = new List<TextSegment>();
            long chars = 0;
            foreach (var page in pdf.GetPages())
            {
                // Words joined by their reading order; paragraphs are rebuilt by the chunker from sentence ends.
                var text = string.Join(" ", page.GetWords().Select(w => w.Text));
                if ((chars += text.Length) > MaxChars)
                    return ExtractionResult.Failed(DocumentKind.Pdf, $"The PDF holds more than {MaxChars:N0} characters of text; split it into smaller documents.");
                if (text.Length > 0) segments.Add(new TextSegment(text, Page: page.Number));
            }
            return segments.Count == 0
                ? ExtractionResult.Failed(DocumentKind.Pdf, "The PDF has no extractable text (it may be scanned images).")
                : new ExtractionResult(DocumentKind.Pdf, segments, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // PdfPig throws a range of exception types on damaged files; to the founder they all mean the same.
            return ExtractionResult.Failed(DocumentKind.Pdf, $"The PDF could not be read ({e.GetType().Name}): it may be damaged or encrypted.");
        }
    }
}
