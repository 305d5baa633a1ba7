using System.Globalization;
using System.Text;
using CsvHelper;
using Planner.Interchange;

namespace Planner.Insights;

/// <summary>Reads customer reviews from CSV: a text column (text, review, comment, body or content) and optional
/// id, source, customer, date and rating columns; other columns (e.g. hand-made labels) are ignored.</summary>
public static class ReviewCsv
{
    private static readonly string[] TextColumns = ["text", "review", "comment", "body", "content"];

    public static ReviewReadResult Read(ReadOnlySpan<byte> bytes, string fileName)
    {
        if (bytes.Length > ImportLimits.MaxFileBytes)
            return ReviewReadResult.Failed($"{fileName} is {ImportLimits.Describe(bytes.Length)}; review files are limited to {ImportLimits.Describe(ImportLimits.MaxFileBytes)}.");
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            return ReviewReadResult.Failed($"{fileName} is not UTF-8 text; save it as UTF-8 CSV and try again.");
        }
        if (string.IsNullOrWhiteSpace(text)) return ReviewReadResult.Failed($"{fileName} is empty.");

        var reviews = new List<Review>();
        try
        {
            var options = new CsvReaderOptions { MalformedData = CsvMalformedDataHandling.Throw, TrackLineNumbers = true };
            using var csv = CsvReader.Create(Encoding.UTF8.GetBytes(text), options);
            csv.ReadHeader();
            var header = csv.Headers.ToArray();
            int Column(params string[] names) => Array.FindIndex(header, h => names.Contains(h.Trim(), StringComparer.OrdinalIgnoreCase));
            var textColumn = Column(TextColumns);
            if (textColumn < 0)
                return ReviewReadResult.Failed(
                    $"{fileName} has no review text column (columns: {string.Join(", ", header.Select(h => h.Trim()))}); name the column with the review text 'text' (or review, comment, body, content).");
            var (id, source, customer, date, rating) = (Column("id"), Column("source"), Column("customer"), Column("date"), Column("rating"));
            string Get(int index) => index >= 0 && index < csv.FieldCount ? csv.GetString(index).Trim() : "";
            while (csv.Read())
            {
                var body = Get(textColumn);
                if (body.Length == 0) continue;
                var row = (int)csv.LineNumber;
                reviews.Add(new Review(
                    Get(id) is { Length: > 0 } given ? given : $"row {row}",
                    body,
                    Get(source),
                    Get(customer),
                    DateOnly.TryParseExact(Get(date), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null,
                    int.TryParse(Get(rating), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : null));
            }
        }
        catch (CsvFormatException e)
        {
            return ReviewReadResult.Failed($"{fileName} is not well-formed CSV{(e.LineNumber > 0 ? $" (line {e.LineNumber})" : "")}: a quote is not closed, or a field has stray quotes.");
        }
        if (reviews.Count == 0) return ReviewReadResult.Failed($"{fileName} has a header but no review text in any row.");
        var duplicate = reviews.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) return ReviewReadResult.Failed($"{fileName}: the id '{duplicate.Key}' is used by {duplicate.Count()} reviews; ids must be unique so quotes link back to one review.");
        return new ReviewReadResult(reviews, null);
    }
}
