using System.Globalization;
using System.Text;
using CsvHelper;
using Planner.Documents;

namespace Planner.Insights.Labelling;

/// <summary>A reviews CSV with the founder's labels filled into a label column (added at the end when the file has
/// none): every column and row of the original kept, a founder's label replacing the cell of its review. This is the
/// file <c>planner train-classifier</c> and the Training page train on.</summary>
public static class LabelledReviewsCsv
{
    /// <summary>The CSV's bytes (UTF-8), how many rows carry a founder's label, or why the file cannot be read.</summary>
    public static (byte[]? Csv, int Filled, string? Error) Fill(ReadOnlySpan<byte> reviews, string fileName, string column, IEnumerable<ReviewLabel> labels)
    {
        if (TextDecoding.Decode(reviews, out _) is not { } text) return (null, 0, $"{fileName} is not UTF-8 or UTF-16 text; save it as UTF-8 CSV and try again.");
        if (CsvTable.Parse(text, out var error) is not { } table) return (null, 0, $"{fileName}: {error}");
        var textColumn = table.Column(ReviewCsv.TextColumns);
        if (textColumn < 0) return (null, 0, $"{fileName} has no review text column (columns: {string.Join(", ", table.Header)}).");
        var founder = labels.Where(l => l.SetBy == LabelSource.Founder).ToDictionary(l => l.ReviewKey, l => l.Label, StringComparer.Ordinal);
        var labelColumn = table.Column(column);
        var header = labelColumn >= 0 ? table.Header : [.. table.Header, column];
        if (labelColumn < 0) labelColumn = header.Count - 1;
        var filled = 0;
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        // No formula escaping: the file is training data, and its texts must reach the classifier exactly as written.
        using (var csv = CsvWriter.Create(output, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true))
        {
            foreach (var name in header) csv.WriteField(name);
            csv.EndRecord();
            foreach (var row in table.Rows)
            {
                var body = row[textColumn].Trim();
                var label = body.Length > 0 && founder.TryGetValue(ReviewKey.Of(body), out var given) ? given : null;
                if (label is not null) filled++;
                for (var i = 0; i < header.Count; i++)
                    csv.WriteField(i == labelColumn && label is not null ? label : i < table.Header.Count ? row[i] : "");
                csv.EndRecord();
            }
        }
        return (Encoding.UTF8.GetBytes(output.ToString()), filled, null);
    }
}
