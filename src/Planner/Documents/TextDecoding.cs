using System.Text;

namespace Planner.Documents;

/// <summary>The one decoding of uploaded and imported text (documents, CSVs of reviews, labels and initiatives): UTF-8
/// with or without a byte order mark, or UTF-16 as Windows and spreadsheets save "Unicode" text (with a byte order
/// mark, or recognised by its zero bytes), each strict: invalid bytes are refused rather than replaced.</summary>
internal static class TextDecoding
{
    public static string? Decode(ReadOnlySpan<byte> bytes, out string? problem)
    {
        problem = null;
        try
        {
            if (bytes.StartsWith([(byte)0xFF, (byte)0xFE])) return Strict(new UnicodeEncoding(false, false, true), bytes[2..]);
            if (bytes.StartsWith([(byte)0xFE, (byte)0xFF])) return Strict(new UnicodeEncoding(true, false, true), bytes[2..]);
            if (bytes.StartsWith(Encoding.UTF8.Preamble)) bytes = bytes[3..];
            else if (Utf16Without(bytes) is { } bigEndian) return Strict(new UnicodeEncoding(bigEndian, false, true), bytes);
            return Strict(new UTF8Encoding(false, true), bytes);
        }
        catch (DecoderFallbackException)
        {
            problem = "The file is not UTF-8 text; save the CSV as UTF-8 and try again.";
            return null;
        }
    }

    /// <summary>Whether the bytes are UTF-16: a byte order mark, or ASCII-range text with every other byte zero.</summary>
    public static bool IsUtf16(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith([(byte)0xFF, (byte)0xFE]) || bytes.StartsWith([(byte)0xFE, (byte)0xFF]) || Utf16Without(bytes) is not null;

    /// <summary>UTF-16 without a byte order mark, recognised by its first two characters: false for little-endian, true
    /// for big-endian, null when it does not look like UTF-16.</summary>
    private static bool? Utf16Without(ReadOnlySpan<byte> bytes) =>
        bytes.Length < 4 || bytes.Length % 2 != 0 ? null
        : bytes[0] != 0 && bytes[1] == 0 && bytes[3] == 0 ? false
        : bytes[0] == 0 && bytes[2] == 0 && bytes[1] != 0 ? true
        : null;

    private static string Strict(Encoding encoding, ReadOnlySpan<byte> bytes) => encoding.GetString(bytes).TrimStart('\uFEFF');
}
