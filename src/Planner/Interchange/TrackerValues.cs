using System.Globalization;
using Planner.Roadmaps;

namespace Planner.Interchange;

/// <summary>Tracker cell values in Planner's terms: statuses, dates and issue keys.</summary>
internal static class TrackerValues
{
    private static readonly Dictionary<string, InitiativeStatus> UsualStatuses = Build();

    private static Dictionary<string, InitiativeStatus> Build()
    {
        var map = new Dictionary<string, InitiativeStatus>(StringComparer.OrdinalIgnoreCase);
        void Add(InitiativeStatus status, params string[] names) { foreach (var n in names) map[n] = status; }
        Add(InitiativeStatus.Done, "done", "closed", "resolved", "completed", "complete", "shipped", "released", "merged", "launched");
        Add(InitiativeStatus.Dropped, "canceled", "cancelled", "won't do", "wont do", "won't fix", "duplicate", "rejected", "declined");
        Add(InitiativeStatus.InProgress, "in progress", "in review", "in development", "in qa", "review", "code review", "started",
            "doing", "testing", "in design", "in test");
        Add(InitiativeStatus.Planned, "to do", "todo", "backlog", "open", "selected for development", "planned", "ready", "new",
            "triage", "unstarted", "next up", "ready for development", "reopened");
        Add(InitiativeStatus.Idea, "idea", "new idea", "candidate", "under consideration", "discovery", "later");
        return map;
    }

    /// <summary>The Planner status of a tracker status: the mapping's entry, else the usual names; null if unknown.</summary>
    public static InitiativeStatus? Status(string text, ImportMapping mapping)
    {
        var t = text.Trim();
        foreach (var (name, value) in mapping.Statuses)
            if (string.Equals(name.Trim(), t, StringComparison.OrdinalIgnoreCase) && EnumNames.TryParseStatus(value, out var mapped)) return mapped;
        if (UsualStatuses.TryGetValue(t, out var usual)) return usual;
        return EnumNames.TryParseStatus(t, out var own) ? own : null;
    }

    private static readonly string[] DateFormats =
        ["yyyy-MM-dd", "d/MMM/yy h:mm tt", "d/MMM/yy H:mm", "d/MMM/yy", "d/MMM/yyyy h:mm tt", "d/MMM/yyyy", "MMM d, yyyy",
         "d MMM yyyy", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy/MM/dd"];

    /// <summary>A date as trackers write it (Jira's "01/Dec/26 9:14 AM", ISO dates and times, "Dec 1, 2026").</summary>
    public static DateOnly? Date(string text)
    {
        var t = text.Trim();
        if (DateTime.TryParseExact(t, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var exact))
            return DateOnly.FromDateTime(exact);
        if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var iso) && t.Contains('T', StringComparison.Ordinal))
            return DateOnly.FromDateTime(iso.UtcDateTime);
        return null;
    }

    /// <summary>An issue key fit to be an initiative id: GitHub's issue URLs become "repo#12"; characters that separate
    /// lists in Planner's columns (; , :) become '-'.</summary>
    public static string Key(string text)
    {
        var t = text.Trim();
        if (Uri.TryCreate(t, UriKind.Absolute, out var url) && url.Host.EndsWith("github.com", StringComparison.OrdinalIgnoreCase))
        {
            var parts = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 4 && parts[2] is "issues" or "pull") t = $"{parts[1]}#{parts[3]}";
        }
        else if (t.Contains('/', StringComparison.Ordinal) && t.Contains('#', StringComparison.Ordinal))
        {
            t = t[(t.LastIndexOf('/') + 1)..]; // "owner/repo#12"
        }
        return string.Concat(t.Select(c => c is ';' or ',' or ':' ? '-' : c));
    }
}
