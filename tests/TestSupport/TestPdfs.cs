using System.IO.Compression;
using System.Text;

namespace Planner.TestSupport;

/// <summary>PDF files for tests of hostile input.</summary>
public static class TestPdfs
{
    /// <summary>A one-page PDF whose content stream is <paramref name="inflated"/> bytes of spaces, deflated
    /// (~1000:1): small on disk, gigabytes in memory for a reader that unpacks it whole.</summary>
    public static byte[] FlateBomb(long inflated)
    {
        var compressed = new MemoryStream();
        using (var deflate = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)' ');
            for (long written = 0; written < inflated; written += block.Length) deflate.Write(block);
        }
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>"u8.ToArray(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"u8.ToArray(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>"u8.ToArray(),
            [.. Encoding.ASCII.GetBytes($"<< /Length {compressed.Length} /Filter /FlateDecode >>\nstream\n"), .. compressed.ToArray(), .. "\nendstream"u8],
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
