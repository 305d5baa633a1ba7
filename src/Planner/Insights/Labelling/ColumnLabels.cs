using Planner.Documents;

namespace Planner.Insights.Labelling;

/// <summary>The reviews of a reviews CSV with what one label column says of each ("" where the cell is empty, or the
/// file has no such column yet).</summary>
public static class ColumnLabels
{
    public static (IReadOnlyList<(Review Review, string Label)>? Rows, string? Error) Read(ReadOnlySpan<byte> bytes, string fileName, string column)
    {
        var read = ReviewCsv.Read(bytes, fileName);
        if (!read.Ok) return (null, read.Error);
        // ReviewCsv has read the file; this second parse only picks the label column out of the same rows.
        var table = CsvTable.Parse(TextDecoding.Decode(bytes, out _)!, out _)!;
        var (text, label) = (table.Column(ReviewCsv.TextColumns), table.Column(column));
        var labels = table.Rows.Where(r => r[text].Trim().Length > 0).Select(r => label < 0 ? "" : r[label].Trim()).ToList();
        return ([.. read.Reviews.Select((r, i) => (r, labels[i]))], null);
    }

    /// <summary>The distinct labels of the column, sorted.</summary>
    public static IReadOnlyList<string> LabelSet(IEnumerable<(Review Review, string Label)> rows) =>
        [.. rows.Select(r => r.Label).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
