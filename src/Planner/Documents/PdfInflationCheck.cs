using System.IO.Compression;

namespace Planner.Documents;

/// <summary>Measures how far a PDF's Flate streams expand before PdfPig reads it. PdfPig inflates content streams into
/// memory without a bound, so a 2 MB PDF of compressed blanks grows to gigabytes (deflate reaches ~1000:1): a
/// compression bomb that stays under the upload limit. Streams are inflated into a counter, never kept, and the count
/// stops at the budget.</summary>
public static class PdfInflationCheck
{
    /// <summary>The most all of a document's Flate streams may expand to together.</summary>
    public const long MaxInflatedBytes = 256L * 1024 * 1024;

    /// <summary>Why <paramref name="pdf"/> should not be given to PdfPig, or null when it can be.</summary>
    public static string? Problem(byte[] pdf) =>
        ExceedsBudget(pdf) ? $"The PDF unpacks to more than {MaxInflatedBytes / (1024 * 1024)} MB (a compression bomb?); it was not read." : null;

    /// <summary>True when the streams together expand to more than <paramref name="budget"/> bytes.</summary>
    public static bool ExceedsBudget(byte[] pdf, long budget = MaxInflatedBytes)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        var span = pdf.AsSpan();
        for (var at = span.IndexOf("stream"u8); at >= 0; at = NextStream(span, at + 6))
        {
            var start = DataStart(span, at);
            if (start < 0 || (at >= 3 && span[(at - 3)..at].SequenceEqual("end"u8))) continue;
            try
            {
                using var inflater = new ZLibStream(new MemoryStream(pdf, start, pdf.Length - start, writable: false), CompressionMode.Decompress);
                int read;
                while ((read = inflater.Read(buffer)) > 0)
                    if ((total += read) > budget) return true;
            }
            catch (InvalidDataException)
            {
                // Not Flate (images, other filters) or damaged: PdfPig decides what to make of it.
            }
        }
        return false;
    }

    private static int NextStream(ReadOnlySpan<byte> pdf, int from)
    {
        var next = pdf[from..].IndexOf("stream"u8);
        return next < 0 ? -1 : from + next;
    }

    /// <summary>Where a stream's data begins: after the keyword and its end of line (CRLF or LF), or -1.</summary>
    private static int DataStart(ReadOnlySpan<byte> pdf, int keyword)
    {
        var at = keyword + 6;
        if (at < pdf.Length && pdf[at] == '\r') at++;
        return at < pdf.Length && pdf[at] == '\n' ? at + 1 : -1;
    }
}
