using System.Text.Json;
using System.Text.Json.Serialization;

namespace Planner.Interchange;

/// <summary>How a tracker's export becomes initiatives: which column gives which field, how estimates turn into weeks,
/// which tracker status means which Planner status, which label or component means which team. Plain data, saved per
/// workspace and written to or read from a file (<c>planner import --mapping file.json</c>).</summary>
public sealed class ImportMapping
{
    /// <summary>"jira", "linear", "github-projects" or "productboard" (see <see cref="TrackerFormats.Name"/>).</summary>
    public string Format { get; set; } = "";

    /// <summary>Header (as in the file) -> field (<see cref="TrackerFormats.Fields"/>); an empty field drops the column.
    /// Columns not named here keep the format's default.</summary>
    public Dictionary<string, string> Columns { get; set; } = [];

    /// <summary>"points", "hours", "days", "weeks" or "seconds" (Jira's time-tracking columns).</summary>
    public string EstimateUnit { get; set; } = "points";

    /// <summary>Weeks of work one <see cref="EstimateUnit"/> stands for, e.g. 0.2 (a story point is a day).</summary>
    public double WeeksPerUnit { get; set; } = 0.2;

    /// <summary>Tracker status (any case) -> idea, planned, in-progress, done or dropped; added to the usual names.</summary>
    public Dictionary<string, string> Statuses { get; set; } = [];

    /// <summary>Label, component or team value (any case) -> a team's id; values equal to a team's id or name need no entry.</summary>
    public Dictionary<string, string> Teams { get; set; } = [];

    /// <summary>The default weeks per unit ("points": 0.2, "hours": 1/40, "days": 0.2, "weeks": 1, "seconds"), or null for an unknown unit.</summary>
    public static double? DefaultWeeksPerUnit(string unit) => TrackerEstimate.UnitWeeks(unit);

    /// <summary>Stories are rolled up into their parent (epic): one initiative per epic, estimates summed.</summary>
    public bool RollUpIntoParents { get; set; } = true;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json).ReplaceLineEndings("\n") + "\n";

    /// <summary>Reads a mapping file; returns null with the reason when it is not one.</summary>
    public static ImportMapping? FromJson(string text, out string? problem)
    {
        try
        {
            var mapping = JsonSerializer.Deserialize<ImportMapping>(text, Json);
            problem = mapping is null ? "The mapping file holds JSON null, not a mapping." : mapping.Check();
            return problem is null ? mapping : null;
        }
        catch (JsonException e)
        {
            problem = $"The mapping file is not valid JSON: {e.Message.Split(" Path:")[0]}";
            return null;
        }
    }

    /// <summary>The first thing wrong with the mapping, or null.</summary>
    public string? Check()
    {
        if (TrackerFormats.Parse(Format) is null)
            return $"Unknown format '{Format}'; use one of {string.Join(", ", TrackerFormats.Trackers.Select(TrackerFormats.Name))}.";
        if (TrackerEstimate.UnitWeeks(EstimateUnit) is null)
            return $"Unknown estimate unit '{EstimateUnit}'; use points, hours, days, weeks or seconds.";
        if (!double.IsFinite(WeeksPerUnit) || WeeksPerUnit <= 0 || WeeksPerUnit > 52)
            return $"weeksPerUnit must be a number above 0 and at most 52 (got {WeeksPerUnit}).";
        Columns ??= [];
        Statuses ??= [];
        Teams ??= [];
        if (Columns.Values.FirstOrDefault(f => f.Length > 0 && !TrackerFormats.Fields.Contains(f)) is { } field)
            return $"Unknown field '{field}'; a column can become {string.Join(", ", TrackerFormats.Fields)} (or \"\" to drop it).";
        if (Statuses.FirstOrDefault(s => !EnumNames.TryParseStatus(s.Value, out _)) is { Key: not null } status)
            return $"Status '{status.Key}' maps to '{status.Value}'; use one of {string.Join(", ", EnumNames.StatusNames)}.";
        return null;
    }

    /// <summary>A deep copy, to edit without changing this one.</summary>
    public ImportMapping Copy() => new()
    {
        Format = Format,
        Columns = new(Columns),
        EstimateUnit = EstimateUnit,
        WeeksPerUnit = WeeksPerUnit,
        Statuses = new(Statuses),
        Teams = new(Teams),
        RollUpIntoParents = RollUpIntoParents,
    };
}
