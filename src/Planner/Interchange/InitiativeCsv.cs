using System.Globalization;
using System.Text;
using CsvHelper;
using Planner.Roadmaps;

namespace Planner.Interchange;

/// <summary>Initiatives as CSV, in the shape issue trackers and spreadsheets export. Import merges rows into a
/// workspace by id (update or add); export writes every field so that export -> import changes nothing.</summary>
public static class InitiativeCsv
{
    /// <summary>Columns in export order; import also accepts the aliases in <see cref="Aliases"/>.</summary>
    public static readonly string[] Columns =
        ["id", "title", "description", "status", "durationWeeks", "effortPersonWeeks", "demand", "dependsOn",
         "earliestStart", "deadline", "deadlineHard", "lockedStart", "reach", "impact", "confidence", "effort",
         "businessValue", "timeCriticality", "riskReduction", "moscow", "objectives"];

    private static readonly Dictionary<string, string> Aliases = BuildAliases();

    private static Dictionary<string, string> BuildAliases()
    {
        var aliases = Columns.ToDictionary(Normalize, c => c);
        void Add(string canonical, params string[] names) { foreach (var n in names) aliases[Normalize(n)] = canonical; }
        Add("id", "key", "issue key", "issue id", "ref");
        Add("title", "summary", "name");
        Add("description", "details");
        Add("durationWeeks", "duration", "estimate", "estimate weeks", "weeks");
        Add("effortPersonWeeks", "effort person weeks", "person weeks");
        Add("demand", "team", "teams", "squad");
        Add("people", "people", "headcount");
        Add("dependsOn", "depends on", "dependencies", "blocked by", "predecessors");
        return aliases;
    }

    private static string Normalize(string header) =>
        new string([.. header.Trim().ToLowerInvariant().Where(char.IsLetterOrDigit)]);

    public static string Write(Workspace workspace)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        // Injection = Escape: text cells starting with = + - @ are prefixed with ' so spreadsheets show them as text.
        var options = new CsvWriterOptions { NewLine = "\n", Injection = CsvInjection.Escape };
        using (var csv = CsvWriter.Create(text, options, leaveOpen: true))
        {
            foreach (var column in Columns) csv.WriteField(column);
            csv.EndRecord();
            foreach (var i in workspace.Initiatives.OrderBy(i => i.Order))
            {
                csv.WriteField(i.Key);
                csv.WriteField(i.Title);
                csv.WriteField(i.Description);
                csv.WriteField(EnumNames.Of(i.Status));
                csv.WriteField(Number(i.DurationWeeks));
                csv.WriteField(Number(i.EffortPersonWeeks));
                csv.WriteField(InitiativeText.FormatDemand(i.Demand));
                csv.WriteField(InitiativeText.FormatDependencies(i.Dependencies));
                csv.WriteField(Date(i.EarliestStart));
                csv.WriteField(Date(i.Deadline));
                csv.WriteField(i.DeadlineIsHard ? "true" : "");
                csv.WriteField(Date(i.LockedStart));
                csv.WriteField(Number(i.Reach));
                csv.WriteField(Number(i.Impact));
                csv.WriteField(Number(i.Confidence));
                csv.WriteField(Number(i.Effort));
                csv.WriteField(Number(i.BusinessValue));
                csv.WriteField(Number(i.TimeCriticality));
                csv.WriteField(Number(i.RiskReduction));
                csv.WriteField(i.MoSCoW is { } m ? EnumNames.Of(m) : "");
                csv.WriteField(string.Join(";", i.ObjectiveKeys));
                csv.EndRecord();
            }
        }
        return text.ToString();
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
    private static string Date(DateOnly? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <summary>Reads initiatives from CSV and merges them into a copy of <paramref name="target"/>: a row whose id
    /// exists updates that initiative, any other row adds one. All or nothing: any problem returns no workspace.</summary>
    public static ImportResult Read(ReadOnlySpan<byte> bytes, Workspace target)
    {
        if (bytes.Length > ImportLimits.MaxFileBytes)
            return ImportResult.Failed(ImportProblem.General(
                $"The file is {ImportLimits.Describe(bytes.Length)}; CSV imports are limited to {ImportLimits.Describe(ImportLimits.MaxFileBytes)}."));
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return ImportResult.Failed(ImportProblem.General("The file is not UTF-8 text; save the CSV as UTF-8 and try again."));
        }
        if (string.IsNullOrWhiteSpace(text.TrimStart('\uFEFF')))
            return ImportResult.Failed(ImportProblem.General("The file is empty."));

        var problems = new List<ImportProblem>();
        var rows = new List<CsvRow>();
        try
        {
            var options = new CsvReaderOptions
            {
                MalformedData = CsvMalformedDataHandling.Throw,
                TrimWhitespace = true,
                TrackLineNumbers = true,
            };
            using var csv = CsvReader.Create(Encoding.UTF8.GetBytes(text.TrimStart('\uFEFF')), options);
            csv.ReadHeader();
            var header = csv.Headers.ToArray();
            if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
                return ImportResult.Failed(ImportProblem.General("The file has no header row."));

            var map = MapHeader(header, problems);
            if (problems.Count > 0) return ImportResult.Failed([.. problems]);
            while (csv.Read())
            {
                var values = new Dictionary<string, string>();
                foreach (var (column, index) in map)
                    values[column] = index < csv.FieldCount ? csv.GetString(index).Trim() : "";
                if (values.Values.All(string.IsNullOrEmpty)) continue;
                if (rows.Count == ImportLimits.MaxInitiatives) return ImportResult.Failed(ImportLimits.TooMany("rows"));
                rows.Add(new CsvRow((int)csv.LineNumber, values));
            }
        }
        catch (CsvFormatException e)
        {
            return ImportResult.Failed(new ImportProblem(e.LineNumber > 0 ? (int)e.LineNumber : null, null, null,
                "Malformed CSV: a quote is not closed, or a field has stray quotes."));
        }
        if (rows.Count == 0)
            return ImportResult.Failed(ImportProblem.General("The file has a header but no rows."));

        var workspace = target.Clone();
        var merge = new CsvMerge(workspace, problems);
        merge.Apply(rows);
        if (problems.Count > 0) return ImportResult.Failed([.. problems]);

        var domainProblems = RoadmapValidator.Validate(workspace);
        if (domainProblems.Count > 0)
        {
            return ImportResult.Failed([.. domainProblems.Select(p =>
                new ImportProblem(merge.RowOf(p.Item), p.Field, p.Item, p.Message))]);
        }
        return ImportResult.Succeeded(workspace);
    }

    private static Dictionary<string, int> MapHeader(string[] header, List<ImportProblem> problems)
    {
        var map = new Dictionary<string, int>();
        for (var i = 0; i < header.Length; i++)
        {
            if (!Aliases.TryGetValue(Normalize(header[i]), out var column)) continue; // other tools' extra columns
            if (!map.TryAdd(column, i))
                problems.Add(new(1, header[i], null, $"Column '{header[i]}' means the same as an earlier column ('{column}')."));
        }
        if (!map.ContainsKey("title"))
            problems.Add(new(1, "title", null, "Missing column 'title' (or 'summary')."));
        if (!map.ContainsKey("durationWeeks") && !map.ContainsKey("effortPersonWeeks"))
            problems.Add(new(1, "estimate", null, "Missing column 'estimate' (weeks), 'durationWeeks' or 'effortPersonWeeks'."));
        return map;
    }

    internal sealed record CsvRow(int Row, Dictionary<string, string> Values)
    {
        public string Get(string column) => Values.TryGetValue(column, out var v) ? v : "";
        public bool Has(string column) => Values.ContainsKey(column);
    }
}
