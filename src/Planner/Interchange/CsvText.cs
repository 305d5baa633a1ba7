using System.Text;

namespace Planner.Interchange;

/// <summary>The text of an imported CSV as spreadsheet programs and trackers save it: UTF-8 with or without a byte
/// order mark, or UTF-16 (Excel's "Unicode text") with or without one.</summary>
internal static class CsvText
{
    public static string? Decode(ReadOnlySpan<byte> bytes, out string? problem)
    {
        problem = null;
        try
        {
            if (bytes.StartsWith([(byte)0xFF, (byte)0xFE])) return Strict(new UnicodeEncoding(false, false, true), bytes[2..]);
            if (bytes.StartsWith([(byte)0xFE, (byte)0xFF])) return Strict(new UnicodeEncoding(true, false, true), bytes[2..]);
            if (bytes.StartsWith(Encoding.UTF8.Preamble)) bytes = bytes[3..];
            else if (bytes.Length >= 4 && bytes.Length % 2 == 0 && bytes[0] != 0 && bytes[1] == 0 && bytes[3] == 0)
                return Strict(new UnicodeEncoding(false, false, true), bytes);
            else if (bytes.Length >= 4 && bytes.Length % 2 == 0 && bytes[0] == 0 && bytes[2] == 0 && bytes[1] != 0)
                return Strict(new UnicodeEncoding(true, false, true), bytes);
            return Strict(new UTF8Encoding(false, true), bytes);
        }
        catch (DecoderFallbackException)
        {
            problem = "The file is not UTF-8 text; save the CSV as UTF-8 and try again.";
            return null;
        }
    }

    private static string Strict(Encoding encoding, ReadOnlySpan<byte> bytes) => encoding.GetString(bytes).TrimStart('\uFEFF');
}
