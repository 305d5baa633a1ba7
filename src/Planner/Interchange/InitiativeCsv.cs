using System.Globalization;
using System.Text;
using CsvHelper;
using Planner.Documents;
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
         "businessValue", "timeCriticality", "riskReduction", "moscow", "objectives", "tags"];

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
        Add("tags", "labels", "label");
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
                csv.WriteField(string.Join(";", i.Tags));
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
    public static ImportResult Read(ReadOnlySpan<byte> bytes, Workspace target) => Preview(bytes, target, ImportOptions.Default).Result;

    /// <summary>As <see cref="Read(ReadOnlySpan{byte}, Workspace)"/>, and says what the import does: a tracker's export
    /// (Jira, Linear, GitHub Projects, Productboard; recognised from the header, or named by the options' mapping) is
    /// mapped onto Planner's columns first, and then merged the same way.</summary>
    public static ImportPreview Preview(ReadOnlySpan<byte> bytes, Workspace target, ImportOptions? options)
    {
        options ??= ImportOptions.Default;
        if (bytes.Length > ImportLimits.MaxFileBytes)
            return Failed(ImportProblem.General(
                $"The file is {ImportLimits.Describe(bytes.Length)}; CSV imports are limited to {ImportLimits.Describe(ImportLimits.MaxFileBytes)}."));
        var text = TextDecoding.Decode(bytes, out var decodeProblem);
        if (text is null) return Failed(ImportProblem.General(decodeProblem!));
        if (string.IsNullOrWhiteSpace(text))
            return Failed(ImportProblem.General("The file is empty."));

        string[] header;
        var raw = new List<(int Line, string[] Cells)>();
        TrackerFormat format;
        try
        {
            var readerOptions = new CsvReaderOptions
            {
                MalformedData = CsvMalformedDataHandling.Throw,
                TrimWhitespace = true,
                TrackLineNumbers = true,
            };
            using var csv = CsvReader.Create(Encoding.UTF8.GetBytes(text), readerOptions);
            csv.ReadHeader();
            header = [.. csv.Headers];
            if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
                return Failed(ImportProblem.General("The file has no header row."));
            format = TrackerFormats.Parse(options.Mapping?.Format) ?? TrackerFormats.Recognize(header);
            var limit = format == TrackerFormat.Planner ? ImportLimits.MaxInitiatives : ImportLimits.MaxTrackerRows;
            while (csv.Read())
            {
                var cells = new string[csv.FieldCount];
                var empty = true;
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i] = csv.GetString(i).Trim();
                    empty &= cells[i].Length == 0;
                }
                if (empty) continue;
                if (raw.Count == limit)
                    return Failed(format == TrackerFormat.Planner ? ImportLimits.TooMany("rows") : ImportLimits.TooManyTrackerRows());
                raw.Add(((int)csv.LineNumber, cells));
            }
        }
        catch (CsvFormatException e)
        {
            return Failed(new ImportProblem(e.LineNumber > 0 ? (int)e.LineNumber : null, null, null,
                "Malformed CSV: a quote is not closed, or a field has stray quotes."));
        }
        if (raw.Count == 0)
            return Failed(ImportProblem.General("The file has a header but no rows."));
        return format == TrackerFormat.Planner ? PlannerColumns(header, raw, target) : Tracker(format, header, raw, target, options);
    }

    private static ImportPreview Failed(params ImportProblem[] problems) => new(ImportResult.Failed(problems));

    private static ImportPreview PlannerColumns(string[] header, List<(int Line, string[] Cells)> raw, Workspace target)
    {
        var problems = new List<ImportProblem>();
        var map = MapHeader(header, problems);
        var columns = header.Where(h => h.Trim().Length > 0).Distinct().Select(h => Aliases.TryGetValue(Normalize(h), out var c)
            ? new ColumnUse(h, c, "") : new ColumnUse(h, null, "not one of Planner's columns")).ToList();
        if (problems.Count > 0)
        {
            var unrecognised = columns.Where(c => c.Field is null).Select(c => $"'{c.Header}'").ToList();
            if (unrecognised.Count > 0)
                problems.Add(new(1, null, null, $"Columns not recognised: {string.Join(", ", unrecognised.Take(12))}. An export from Jira, Linear, " +
                    "GitHub Projects or Productboard is recognised by its header; for a renamed or translated one, map its columns in the import preview (or with planner import --mapping file.json)."));
            return new ImportPreview(ImportResult.Failed([.. problems])) { Columns = columns };
        }
        var rows = raw.Select(r => new CsvRow(r.Line, map.ToDictionary(m => m.Key, m => m.Value < r.Cells.Length ? r.Cells[m.Value] : ""))).ToList();
        return Merge(rows, target, TrackerFormat.Planner, null, problems, ImportOptions.Default) with { Columns = columns };
    }

    private static ImportPreview Tracker(TrackerFormat format, string[] header, List<(int Line, string[] Cells)> raw, Workspace target, ImportOptions options)
    {
        var mapping = TrackerFormats.Defaults(format, header);
        if (options.Mapping is { } chosen)
        {
            var own = chosen.Copy();
            foreach (var (column, field) in mapping.Columns)
                if (!own.Columns.Keys.Any(k => string.Equals(TrackerFormats.Normalize(k), TrackerFormats.Normalize(column), StringComparison.Ordinal)))
                    own.Columns[column] = field;
            own.Format = mapping.Format;
            mapping = own;
        }
        var rows = new TrackerRows(format, mapping, target);
        if (!rows.MapHeader(header, out var fields))
            return new ImportPreview(ImportResult.Failed([.. rows.Problems])) { Format = format, Mapping = mapping, Columns = rows.Columns };
        var converted = rows.Convert(fields, raw);
        if (rows.Problems.Count > 0)
            return new ImportPreview(ImportResult.Failed([.. rows.Problems])) { Format = format, Mapping = mapping, Columns = rows.Columns, Dropped = rows.Dropped };
        if (converted.Count > ImportLimits.MaxInitiatives)
            return new ImportPreview(ImportResult.Failed(ImportLimits.TooMany("initiatives once stories are rolled up into their epics")))
                { Format = format, Mapping = mapping, Columns = rows.Columns };
        return Merge(converted, target, format, mapping, [], options) with
            { Columns = rows.Columns, Dropped = rows.Dropped, Statuses = rows.Statuses, TeamValues = rows.TeamValues };
    }

    private static ImportPreview Merge(List<CsvRow> rows, Workspace target, TrackerFormat format, ImportMapping? mapping,
        List<ImportProblem> problems, ImportOptions options)
    {
        var workspace = target.Clone();
        var before = new HashSet<string>(target.Initiatives.Select(i => i.Key), StringComparer.Ordinal);
        var merge = new CsvMerge(workspace, problems);
        merge.Apply(rows);
        var keys = rows.Select(r => r.Get("id")).Where(k => k.Length > 0).ToList();
        var inFile = new HashSet<string>(keys, StringComparer.Ordinal);
        var source = TrackerFormats.Name(format);
        var missing = format == TrackerFormat.Planner ? []
            : target.Initiatives.Where(i => i.Source == source && !inFile.Contains(i.Key)).Select(i => i.Key).ToList();
        var asked = new HashSet<string>(options.Remove ?? [], StringComparer.Ordinal);
        var remove = new HashSet<string>(missing.Where(asked.Contains), StringComparer.Ordinal);
        if (remove.Count > 0)
        {
            workspace.Initiatives.RemoveAll(i => remove.Contains(i.Key));
            foreach (var item in workspace.Initiatives) item.Dependencies.RemoveAll(d => remove.Contains(d.PredecessorKey));
        }
        var preview = new ImportPreview(ImportResult.Failed([.. problems]))
        {
            Format = format,
            Mapping = mapping,
            Created = [.. keys.Where(k => !before.Contains(k))],
            Updated = [.. keys.Where(before.Contains)],
            Missing = missing,
            Removed = [.. missing.Where(remove.Contains)],
        };
        if (problems.Count > 0) return preview;

        var domainProblems = RoadmapValidator.Validate(workspace);
        if (domainProblems.Count > 0)
        {
            return preview with { Result = ImportResult.Failed([.. domainProblems.Select(p =>
                new ImportProblem(merge.RowOf(p.Item), p.Field, p.Item, p.Message))]) };
        }
        return preview with { Result = ImportResult.Succeeded(workspace) };
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
        // No estimate column is allowed: its rows are unestimated and scheduled at the workspace's default.
        return map;
    }

    internal sealed record CsvRow(int Row, Dictionary<string, string> Values)
    {
        public string Get(string column) => Values.TryGetValue(column, out var v) ? v : "";
        public bool Has(string column) => Values.ContainsKey(column);
    }
}
