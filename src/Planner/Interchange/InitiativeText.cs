using System.Globalization;
using Planner.Roadmaps;

namespace Planner.Interchange;

/// <summary>The one-line text forms of an initiative's demand ("be:2;fe:1") and dependencies ("i3;i5:2" — id, or
/// id:lag in weeks), shared by CSV files and the roadmap grid's editor.</summary>
public static class InitiativeText
{
    public static string FormatDemand(IEnumerable<TeamDemand> demand) =>
        string.Join(";", demand.Select(d => $"{d.TeamKey}:{d.People.ToString(CultureInfo.InvariantCulture)}"));

    public static string FormatDependencies(IEnumerable<Dependency> dependencies) =>
        string.Join(";", dependencies.Select(d => d.LagWeeks == 0 ? d.PredecessorKey : $"{d.PredecessorKey}:{d.LagWeeks.ToString(CultureInfo.InvariantCulture)}"));

    public static IEnumerable<string> SplitList(string text) =>
        text.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Parses demand. A team is named by id or name; an entry without ":n" takes <paramref name="defaultPeople"/>.
    /// Problems are returned as (field, message) pairs; the field is "team" or "people".</summary>
    public static List<TeamDemand> ParseDemand(string text, Workspace workspace, string defaultPeople, List<(string Field, string Message)> problems)
    {
        var result = new List<TeamDemand>();
        foreach (var part in SplitList(text))
        {
            var pieces = part.Split(':', 2, StringSplitOptions.TrimEntries);
            var team = workspace.FindTeam(pieces[0])
                ?? workspace.Teams.Find(t => string.Equals(t.Name, pieces[0], StringComparison.OrdinalIgnoreCase))
                ?? workspace.Teams.Find(t => string.Equals(t.Key, pieces[0], StringComparison.OrdinalIgnoreCase));
            if (team is null)
            {
                problems.Add(("team", $"Unknown team '{pieces[0]}'; known teams: {string.Join(", ", workspace.Teams.Select(t => $"{t.Key} ({t.Name})"))}."));
                continue;
            }
            var peopleText = pieces.Length == 2 ? pieces[1] : defaultPeople;
            if (!int.TryParse(peopleText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var people))
            {
                problems.Add((pieces.Length == 2 ? "team" : "people", $"'{peopleText}' is not a whole number of people."));
                continue;
            }
            result.Add(new TeamDemand(team.Key, people));
        }
        return result;
    }

    /// <summary>Parses dependencies; <paramref name="resolve"/> maps a reference (id, or another row's title) to an
    /// initiative id, or returns null when it names nothing known.</summary>
    public static List<Dependency> ParseDependencies(string text, Func<string, string?> resolve, List<(string Field, string Message)> problems)
    {
        var result = new List<Dependency>();
        foreach (var part in SplitList(text))
        {
            var pieces = part.Split(':', 2, StringSplitOptions.TrimEntries);
            if (resolve(pieces[0]) is not { } key)
            {
                problems.Add(("dependsOn", $"Unknown initiative '{pieces[0]}'."));
                continue;
            }
            var lag = 0;
            if (pieces.Length == 2 && !int.TryParse(pieces[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out lag))
            {
                problems.Add(("dependsOn", $"'{pieces[1]}' is not a whole number of weeks of lag."));
                continue;
            }
            result.Add(new Dependency(key, lag));
        }
        return result;
    }
}
