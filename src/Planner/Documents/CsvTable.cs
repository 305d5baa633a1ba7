using System.Text;
using CsvHelper;

namespace Planner.Documents;

/// <summary>A CSV file read whole into its header and rows of strings (CsvHelper; malformed quoting is refused): the one
/// CSV reader for tables the product reads — documents, customer reviews and labelled training data.</summary>
public sealed record CsvTable(IReadOnlyList<string> Header, IReadOnlyList<CsvRow> Rows)
{
    /// <summary>The table, or null with a sentence saying why the text is not well-formed CSV.</summary>
    public static CsvTable? Parse(string text, out string? error)
    {
        error = null;
        try
        {
            var options = new CsvReaderOptions { MalformedData = CsvMalformedDataHandling.Throw, TrackLineNumbers = true };
            using var csv = CsvReader.Create(Encoding.UTF8.GetBytes(text.TrimStart('\uFEFF')), options);
            csv.ReadHeader();
            var header = csv.Headers.Select(h => h.Trim()).ToArray();
            var rows = new List<CsvRow>();
            while (csv.Read())
                rows.Add(new CsvRow((int)csv.LineNumber, [.. Enumerable.Range(0, header.Length).Select(i => i < csv.FieldCount ? csv.GetString(i) : "")]));
            return new CsvTable(header, rows);
        }
        catch (CsvFormatException e)
        {
            error = $"The file is not well-formed CSV{(e.LineNumber > 0 ? $" (line {e.LineNumber})" : "")}: a quote is not closed, or a field has stray quotes.";
            return null;
        }
    }

    /// <summary>The index of the first column with one of <paramref name="names"/> (case-insensitive), or -1.</summary>
    public int Column(params string[] names)
    {
        for (var i = 0; i < Header.Count; i++)
            if (names.Contains(Header[i], StringComparer.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
