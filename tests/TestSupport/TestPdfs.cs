using System.IO.Compression;
using System.Text;

namespace Planner.TestSupport;

/// <summary>PDF files for tests of hostile input.</summary>
public static class TestPdfs
{
    /// <summary>A one-page PDF whose content stream is <paramref name="inflated"/> bytes of spaces, deflated
    /// (~1000:1): small on disk, gigabytes in memory for a reader that unpacks it whole.</summary>
    public static byte[] FlateBomb(long inflated) => OnePage("/Filter /FlateDecode", Deflate(Spaces(inflated)));

    /// <summary>The bomb deflated twice (<c>/Filter [/FlateDecode /FlateDecode]</c>): its first layer unpacks to a
    /// few hundred kilobytes, the second to <paramref name="inflated"/> bytes.</summary>
    public static byte[] FlateChainBomb(long inflated) => OnePage("/Filter [/FlateDecode /FlateDecode]", Deflate([Deflate(Spaces(inflated))]));

    /// <summary>The bomb as raw deflate behind a two-byte header that is not zlib's: a strict zlib reader gives up on
    /// it at once, PdfPig skips the two bytes and inflates the rest.</summary>
    public static byte[] FlateBadHeaderBomb(long inflated)
    {
        using var raw = new MemoryStream();
        raw.Write([0x00, 0x00]);
        using (var deflate = new DeflateStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
            foreach (var block in Spaces(inflated)) deflate.Write(block);
        return OnePage("/Filter /FlateDecode", raw.ToArray());
    }

    /// <summary>RunLength (128 copies of a byte in every two bytes): <paramref name="pairs"/> × 128 bytes unpacked.</summary>
    public static byte[] RunLengthBomb(int pairs)
    {
        var data = new byte[pairs * 2 + 1];
        for (var i = 0; i < pairs; i++) (data[2 * i], data[2 * i + 1]) = (129, (byte)' ');
        data[^1] = 128; // end of data
        return OnePage("/Filter /RunLengthDecode", data);
    }

    /// <summary>A page whose uncompressed content stream shows <paramref name="bytes"/> bytes of text: no filter for a
    /// bomb check to count, millions of letters for a reader to lay out.</summary>
    public static byte[] RawText(int bytes)
    {
        var line = "BT /F1 1 Tf 0 0 Td (" + new string('a', 1000) + ") Tj ET\n";
        var content = new StringBuilder(bytes + line.Length);
        while (content.Length < bytes) content.Append(line);
        return OnePage("", Encoding.ASCII.GetBytes(content.ToString()));
    }

    /// <summary>A page with an array nested <paramref name="depth"/> deep: a recursive parser's stack does not hold it.</summary>
    public static byte[] DeeplyNested(int depth)
    {
        var nested = new StringBuilder();
        for (var i = 0; i < depth; i++) nested.Append('[');
        nested.Append("1 ");
        for (var i = 0; i < depth; i++) nested.Append(']');
        return OnePage("", "BT /F1 12 Tf 10 10 Td (Hello) Tj ET"u8.ToArray(), extraPageEntries: $"/Nested {nested}");
    }

    private static IEnumerable<byte[]> Spaces(long bytes)
    {
        var block = new byte[1 << 20];
        Array.Fill(block, (byte)' ');
        for (long written = 0; written < bytes; written += block.Length) yield return block;
    }

    private static byte[] Deflate(IEnumerable<byte[]> blocks)
    {
        var compressed = new MemoryStream();
        using (var deflate = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            foreach (var block in blocks) deflate.Write(block);
        return compressed.ToArray();
    }

    /// <summary>A one-page PDF (Helvetica as /F1) whose content stream has the given filter entries and data.</summary>
    private static byte[] OnePage(string filter, byte[] data, string extraPageEntries = "")
    {
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>"u8.ToArray(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"u8.ToArray(),
            Encoding.ASCII.GetBytes($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> {extraPageEntries}>>"),
            [.. Encoding.ASCII.GetBytes($"<< /Length {data.Length} {filter} >>\nstream\n"), .. data, .. "\nendstream"u8],
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"u8.ToArray(),
        };
        var pdf = new MemoryStream();
        pdf.Write("%PDF-1.4\n"u8);
        var offsets = new List<long>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Position);
            pdf.Write(Encoding.ASCII.GetBytes($"{i + 1} 0 obj\n"));
            pdf.Write(objects[i]);
            pdf.Write("\nendobj\n"u8);
        }
        var xref = pdf.Position;
        var table = new StringBuilder($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) table.Append(System.Globalization.CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        table.Append(System.Globalization.CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        pdf.Write(Encoding.ASCII.GetBytes(table.ToString()));
        return pdf.ToArray();
    }
}
