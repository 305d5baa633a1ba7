using System.Text;
using CsvHelper;

namespace Planner.Engine.Data;

/// <summary>A CSV file read whole: its header and rows of strings (small data sets: reviews, notes).</summary>
internal sealed record CsvTable(string[] Header, IReadOnlyList<string[]> Rows)
{
    public static CsvTable Parse(string text, string source)
    {
        try
        {
            var options = new CsvReaderOptions { MalformedData = CsvMalformedDataHandling.Throw };
            using var csv = CsvReader.Create(Encoding.UTF8.GetBytes(text.TrimStart('\uFEFF')), options);
            csv.ReadHeader();
            var header = csv.Headers.ToArray();
            var rows = new List<string[]>();
            while (csv.Read())
                rows.Add([.. Enumerable.Range(0, header.Length).Select(i => i < csv.FieldCount ? csv.GetString(i) : "")]);
            return new CsvTable(header, rows);
        }
        catch (CsvFormatException)
        {
            throw new CorpusException($"'{source}' is not well-formed CSV: a quote is not closed, or a field has stray quotes.");
        }
    }

    /// <summary>Index of a column by name (case-insensitive, trimmed), or -1.</summary>
    public int Column(string name) => Array.FindIndex(Header, h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
}
