using System.Globalization;
using System.Text.RegularExpressions;
using Planner.Roadmaps;

namespace Planner.Interchange;

/// <summary>Applies CSV rows to a workspace copy, collecting a problem per bad cell (row, column, reason).</summary>
/// <remarks>Linear in rows plus initiatives: every lookup is a dictionary's, none a search of the workspace.</remarks>
internal sealed partial class CsvMerge(Workspace workspace, List<ImportProblem> problems)
{
    private readonly Dictionary<string, int> rowOfKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Initiative> existing = IndexByKey(workspace.Initiatives);

    private static Dictionary<string, Initiative> IndexByKey(List<Initiative> initiatives)
    {
        var index = new Dictionary<string, Initiative>(initiatives.Count, StringComparer.Ordinal);
        foreach (var item in initiatives) index.TryAdd(item.Key, item); // the first, as Workspace.FindInitiative
        return index;
    }

    /// <summary>The CSV row that defined the initiative, for locating domain problems.</summary>
    public int? RowOf(string? key) => key is not null && rowOfKey.TryGetValue(key, out var row) ? row : null;

    public void Apply(IReadOnlyList<InitiativeCsv.CsvRow> rows)
    {
        // First pass: ids and titles, so dependencies may point at rows further down.
        var keys = new List<string>();
        var nextNumber = NextFreeNumber();
        foreach (var row in rows)
        {
            var key = row.Get("id");
            if (key.Length == 0)
            {
                while (existing.ContainsKey($"i{nextNumber}") || rowOfKey.ContainsKey($"i{nextNumber}")) nextNumber++;
                key = $"i{nextNumber++}";
            }
            if (!rowOfKey.TryAdd(key, row.Row))
                problems.Add(new(row.Row, "id", key, $"The id '{key}' is also used in row {rowOfKey[key]}."));
            keys.Add(key);
        }
        var titleToKey = rows.Zip(keys).GroupBy(p => p.First.Get("title"), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Key.Length > 0 && g.Count() == 1).ToDictionary(g => g.Key, g => g.Single().Second, StringComparer.OrdinalIgnoreCase);

        var order = workspace.Initiatives.Count == 0 ? 0 : workspace.Initiatives.Max(i => i.Order) + 1;
        foreach (var (row, key) in rows.Zip(keys))
        {
            var found = existing.GetValueOrDefault(key);
            var item = found ?? new Initiative { Key = key, Title = "", Order = order++ };
            ApplyRow(row, item, titleToKey);
            if (found is null) workspace.Initiatives.Add(item);
        }
    }

    private int NextFreeNumber()
    {
        var max = 0;
        foreach (var i in workspace.Initiatives)
            if (i.Key.Length > 1 && i.Key[0] == 'i' && int.TryParse(i.Key.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                max = Math.Max(max, n);
        return max + 1;
    }

    private void ApplyRow(InitiativeCsv.CsvRow row, Initiative item, Dictionary<string, string> titleToKey)
    {
        var r = row.Row;
        var title = SpreadsheetSafe.Unescape(row.Get("title"));
        if (title.Length == 0) problems.Add(new(r, "title", item.Key, "The title is empty."));
        item.Title = title;
        if (row.Has("description")) item.Description = SpreadsheetSafe.Unescape(row.Get("description"));
        if (row.Has("status") && row.Get("status") is { Length: > 0 } status)
        {
            if (EnumNames.TryParseStatus(status, out var s)) item.Status = s;
            else problems.Add(new(r, "status", item.Key, $"Unknown status '{status}'; use one of {string.Join(", ", EnumNames.StatusNames)}."));
        }
        if (row.Has("durationWeeks")) item.DurationWeeks = Weeks(row, "durationWeeks", item.Key);
        if (row.Has("effortPersonWeeks")) item.EffortPersonWeeks = Decimal(row, "effortPersonWeeks", item.Key);
        if (row.Has("demand")) item.Demand = Demand(row, item.Key);
        if (row.Has("dependsOn")) item.Dependencies = Dependencies(row, item.Key, titleToKey);
        if (row.Has("earliestStart")) item.EarliestStart = Date(row, "earliestStart", item.Key);
        if (row.Has("deadline")) item.Deadline = Date(row, "deadline", item.Key);
        if (row.Has("deadlineHard")) item.DeadlineIsHard = Bool(row, "deadlineHard", item.Key);
        if (row.Has("lockedStart")) item.LockedStart = Date(row, "lockedStart", item.Key);
        if (row.Has("reach")) item.Reach = Decimal(row, "reach", item.Key);
        if (row.Has("impact")) item.Impact = Decimal(row, "impact", item.Key);
        if (row.Has("confidence")) item.Confidence = Confidence(row, item.Key);
        if (row.Has("effort")) item.Effort = Decimal(row, "effort", item.Key);
        if (row.Has("businessValue")) item.BusinessValue = Decimal(row, "businessValue", item.Key);
        if (row.Has("timeCriticality")) item.TimeCriticality = Decimal(row, "timeCriticality", item.Key);
        if (row.Has("riskReduction")) item.RiskReduction = Decimal(row, "riskReduction", item.Key);
        if (row.Has("moscow"))
        {
            var text = row.Get("moscow");
            if (text.Length == 0) item.MoSCoW = null;
            else if (EnumNames.TryParseMoSCoW(text, out var m)) item.MoSCoW = m;
            else problems.Add(new(r, "moscow", item.Key, $"Unknown MoSCoW value '{text}'; use one of {string.Join(", ", EnumNames.MoSCoWNames)}."));
        }
        if (row.Has("source")) item.Source = row.Get("source");
        if (row.Has("objectives")) item.ObjectiveKeys = [.. InitiativeText.SplitList(row.Get("objectives"))];
        if (row.Has("tags")) item.Tags = InitiativeTags.Normalize(InitiativeText.SplitList(row.Get("tags")));
    }

    [GeneratedRegex(@"^(?<n>\d+)\s*(w|wk|wks|week|weeks)?$", RegexOptions.IgnoreCase)]
    private static partial Regex WeeksPattern();

    private int? Weeks(InitiativeCsv.CsvRow row, string column, string key)
    {
        var text = row.Get(column);
        if (text.Length == 0) return null;
        var match = WeeksPattern().Match(text);
        if (match.Success && int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var weeks))
            return weeks;
        problems.Add(new(row.Row, column, key, $"'{text}' is not a whole number of weeks (e.g. 6 or 6w)."));
        return null;
    }

    private double? Decimal(InitiativeCsv.CsvRow row, string column, string key)
    {
        var text = row.Get(column);
        if (text.Length == 0) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            return value;
        problems.Add(new(row.Row, column, key, $"'{text}' is not a number."));
        return null;
    }

    private double? Confidence(InitiativeCsv.CsvRow row, string key)
    {
        var text = row.Get("confidence");
        if (text.EndsWith('%') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
            return percent / 100;
        return Decimal(row, "confidence", key);
    }

    private DateOnly? Date(InitiativeCsv.CsvRow row, string column, string key)
    {
        var text = row.Get(column);
        if (text.Length == 0) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        problems.Add(new(row.Row, column, key, $"'{text}' is not a date in the form yyyy-mm-dd."));
        return null;
    }

    private bool Bool(InitiativeCsv.CsvRow row, string column, string key)
    {
        var text = row.Get(column).ToLowerInvariant();
        if (text is "" or "false" or "no" or "0") return false;
        if (text is "true" or "yes" or "1") return true;
        problems.Add(new(row.Row, column, key, $"'{row.Get(column)}' is not yes/no."));
        return false;
    }

    /// <summary>"be:2;fe:1", or a single team ("Backend" or "be") with the people in a 'people' column (default 1).</summary>
    private List<TeamDemand> Demand(InitiativeCsv.CsvRow row, string key)
    {
        var text = row.Get("demand");
        var single = InitiativeText.SplitList(text).Count() == 1 && row.Get("people") is { Length: > 0 } p ? p : "1";
        var errors = new List<(string Field, string Message)>();
        var result = InitiativeText.ParseDemand(text, workspace, single, errors);
        problems.AddRange(errors.Select(e => new ImportProblem(row.Row, e.Field, key, e.Message)));
        return result;
    }

    /// <summary>"i3;i5:2" (id, or id:lag in weeks); an entry may also be another row's exact title.</summary>
    private List<Dependency> Dependencies(InitiativeCsv.CsvRow row, string key, Dictionary<string, string> titleToKey)
    {
        var errors = new List<(string Field, string Message)>();
        var result = InitiativeText.ParseDependencies(row.Get("dependsOn"), reference =>
            existing.ContainsKey(reference) || rowOfKey.ContainsKey(reference) ? reference
            : titleToKey.GetValueOrDefault(reference), errors);
        problems.AddRange(errors.Select(e => new ImportProblem(row.Row, e.Field, key, e.Message + " It is not in this file or the workspace.")));
        return result;
    }
}
