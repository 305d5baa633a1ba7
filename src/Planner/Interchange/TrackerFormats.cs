namespace Planner.Interchange;

/// <summary>The issue trackers whose CSV exports Planner reads, each recognised from its header and mapped onto the
/// initiative fields. The column names follow each tool's documented export: Jira's "Export CSV (all fields / current
/// fields)", Linear's issue export, GitHub Projects' "Export view data" and Productboard's feature export.</summary>
public static class TrackerFormats
{
    public static readonly TrackerFormat[] Trackers =
        [TrackerFormat.Jira, TrackerFormat.Linear, TrackerFormat.GitHubProjects, TrackerFormat.Productboard];

    /// <summary>The fields a tracker's column can become.</summary>
    public static readonly IReadOnlyList<string> Fields =
        ["id", "title", "description", "status", "estimate", "team", "parent", "type", "blocks", "blockedBy",
         "deadline", "earliestStart", "number"];

    public static string Name(TrackerFormat format) => format switch
    {
        TrackerFormat.Jira => "jira",
        TrackerFormat.Linear => "linear",
        TrackerFormat.GitHubProjects => "github-projects",
        TrackerFormat.Productboard => "productboard",
        _ => "planner",
    };

    public static string Title(TrackerFormat format) => format switch
    {
        TrackerFormat.Jira => "Jira",
        TrackerFormat.Linear => "Linear",
        TrackerFormat.GitHubProjects => "GitHub Projects",
        TrackerFormat.Productboard => "Productboard",
        _ => "Planner",
    };

    public static TrackerFormat? Parse(string? name) =>
        Trackers.Cast<TrackerFormat?>().FirstOrDefault(f => string.Equals(Name(f!.Value), name?.Trim(), StringComparison.OrdinalIgnoreCase)
            || string.Equals(Title(f!.Value), name?.Trim(), StringComparison.OrdinalIgnoreCase));

    internal static string Normalize(string header) => string.Join(' ', header.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The tracker whose export has this header, or <see cref="TrackerFormat.Planner"/> when none matches.</summary>
    public static TrackerFormat Recognize(IReadOnlyList<string> header)
    {
        var names = header.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        if (names.Contains("issue key") && (names.Contains("issue id") || names.Contains("issue type"))) return TrackerFormat.Jira;
        if (names.Contains("feature id") || names.Contains("feature name")) return TrackerFormat.Productboard;
        if (names.Contains("title") && names.Contains("url") && (names.Contains("repository") || names.Contains("assignees")))
            return TrackerFormat.GitHubProjects;
        if (names.Contains("id") && names.Contains("title") && names.Contains("team") && names.Contains("status")
            && (names.Contains("cycle name") || names.Contains("parent issue") || names.Contains("project") || names.Contains("uuid")))
            return TrackerFormat.Linear;
        return TrackerFormat.Planner;
    }

    /// <summary>The format's own mapping for this header: every column it uses, units and factor.</summary>
    public static ImportMapping Defaults(TrackerFormat format, IReadOnlyList<string> header)
    {
        var mapping = new ImportMapping { Format = Name(format) };
        var table = Table(format);
        foreach (var column in header)
        {
            var name = Normalize(column);
            if (mapping.Columns.ContainsKey(column)) continue; // a repeated column (Labels, Sprint) maps once
            if (table.TryGetValue(name, out var field)) mapping.Columns[column] = field;
            else if (format == TrackerFormat.Jira && JiraLink(name) is { } link) mapping.Columns[column] = link;
        }
        // One estimate column: Jira's story points win over its time tracking (seconds).
        var estimates = mapping.Columns.Where(c => c.Value == "estimate").Select(c => c.Key).ToList();
        if (format == TrackerFormat.Jira && estimates.Count > 0)
        {
            var points = estimates.FirstOrDefault(e => Normalize(e).Contains("story point", StringComparison.Ordinal));
            var chosen = points ?? estimates[0];
            foreach (var other in estimates.Where(e => e != chosen)) mapping.Columns[other] = "";
            if (points is null) { mapping.EstimateUnit = "seconds"; mapping.WeeksPerUnit = TrackerEstimate.UnitWeeks("seconds")!.Value; }
        }
        return mapping;
    }

    /// <summary>Jira's issue links: "Inward issue link (Blocks)" (this issue is blocked by) and "Outward issue link
    /// (Blocks)" (this issue blocks); links of other types (Relates, Cloners, Duplicate) are not dependencies.</summary>
    private static string? JiraLink(string name)
    {
        if (name == "inward issue link (blocks)") return "blockedBy";
        if (name == "outward issue link (blocks)") return "blocks";
        return null;
    }

    /// <summary>Why a column the mapping does not use is dropped, for the preview.</summary>
    public static string DropReason(TrackerFormat format, string header)
    {
        var name = Normalize(header);
        if (format == TrackerFormat.Jira && name == "issue id") return "Jira's internal number; 'Issue key' is the id";
        if (name.Contains("issue link", StringComparison.Ordinal)) return "only 'Blocks' links are dependencies";
        if (name is "sprint" or "cycle name" or "cycle number" or "cycle start" or "cycle end" or "iteration" or "milestone" or "release")
            return "sprints, cycles and releases are the tracker's own time boxes; Planner schedules the work itself";
        if (name is "assignee" or "assignees" or "reporter" or "creator" or "watchers" or "owner")
            return "Planner plans teams, not people";
        if (name is "created" or "updated" or "resolved" or "started" or "completed" or "canceled" or "archived" or "last viewed")
            return "history, not plan";
        if (name is "priority") return "Planner ranks by the workspace's prioritisation framework";
        return "not a roadmap field; map it to one to import it";
    }

    private static Dictionary<string, string> Table(TrackerFormat format) => format switch
    {
        TrackerFormat.Jira => new()
        {
            ["issue key"] = "id", ["summary"] = "title", ["description"] = "description", ["status"] = "status",
            ["issue type"] = "type", ["custom field (story points)"] = "estimate", ["story points"] = "estimate",
            ["custom field (story point estimate)"] = "estimate", ["original estimate"] = "estimate",
            ["component/s"] = "team", ["components"] = "team", ["parent"] = "parent", ["parent id"] = "parent",
            ["custom field (epic link)"] = "parent", ["due date"] = "deadline", ["custom field (start date)"] = "earliestStart",
            ["issue id"] = "number",
        },
        TrackerFormat.Linear => new()
        {
            ["id"] = "id", ["title"] = "title", ["description"] = "description", ["status"] = "status",
            ["estimate"] = "estimate", ["team"] = "team", ["parent issue"] = "parent", ["due date"] = "deadline",
            ["blocks"] = "blocks", ["blocked by"] = "blockedBy",
        },
        TrackerFormat.GitHubProjects => new()
        {
            ["url"] = "id", ["title"] = "title", ["status"] = "status", ["labels"] = "team", ["estimate"] = "estimate",
            ["parent issue"] = "parent", ["start date"] = "earliestStart", ["target date"] = "deadline", ["end date"] = "deadline",
            ["blocked by"] = "blockedBy", ["blocking"] = "blocks", ["body"] = "description",
        },
        TrackerFormat.Productboard => new()
        {
            ["feature id"] = "id", ["feature name"] = "title", ["description"] = "description", ["status"] = "status",
            ["type"] = "type", ["parent id"] = "parent", ["effort"] = "estimate", ["teams"] = "team", ["team"] = "team",
            ["timeframe start"] = "earliestStart", ["timeframe end"] = "deadline",
        },
        _ => [],
    };
}
