using System.Globalization;
using Planner.Documents;
using Planner.Interchange;

namespace Planner.Insights;

/// <summary>Reads customer reviews from CSV: a text column (text, review, comment, body or content) and optional
/// id, source, customer, date and rating columns; other columns (e.g. hand-made labels) are ignored.</summary>
public static class ReviewCsv
{
    internal static readonly string[] TextColumns = ["text", "review", "comment", "body", "content"];

    public static ReviewReadResult Read(ReadOnlySpan<byte> bytes, string fileName)
    {
        if (bytes.Length > ImportLimits.MaxFileBytes)
            return ReviewReadResult.Failed($"{fileName} is {ImportLimits.Describe(bytes.Length)}; review files are limited to {ImportLimits.Describe(ImportLimits.MaxFileBytes)}.");
        // UTF-8 (with or without a byte order mark) or UTF-16, as spreadsheets save CSV; anything else is refused by name.
        if (TextDecoding.Decode(bytes, out _) is not { } text)
            return ReviewReadResult.Failed($"{fileName} is not UTF-8 or UTF-16 text; save it as UTF-8 CSV and try again.");
        if (string.IsNullOrWhiteSpace(text)) return ReviewReadResult.Failed($"{fileName} is empty.");

        if (CsvTable.Parse(text, out var error) is not { } table)
            return ReviewReadResult.Failed($"{fileName}: {error}");
        var textColumn = table.Column(TextColumns);
        if (textColumn < 0)
            return ReviewReadResult.Failed(
                $"{fileName} has no review text column (columns: {string.Join(", ", table.Header)}); name the column with the review text 'text' (or review, comment, body, content).");
        var (id, source, customer, date, rating) = (table.Column("id"), table.Column("source"), table.Column("customer"), table.Column("date"), table.Column("rating"));
        var reviews = new List<Review>();
        foreach (var row in table.Rows)
        {
            var body = row[textColumn].Trim();
            if (body.Length == 0) continue;
            reviews.Add(new Review(
                row[id].Trim() is { Length: > 0 } given ? given : $"row {row.Line}",
                body,
                row[source].Trim(),
                row[customer].Trim(),
                DateOnly.TryParseExact(row[date].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null,
                int.TryParse(row[rating].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : null));
        }
        if (reviews.Count == 0) return ReviewReadResult.Failed($"{fileName} has a header but no review text in any row.");
        var duplicate = reviews.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) return ReviewReadResult.Failed($"{fileName}: the id '{duplicate.Key}' is used by {duplicate.Count()} reviews; ids must be unique so quotes link back to one review.");
        return new ReviewReadResult(reviews, null);
    }
}
