using System.Globalization;
using System.Text.RegularExpressions;
using Planner.Roadmaps;

namespace Planner.Scenarios;

/// <summary>Parses the one-line change specs of the CLI and the scenario form:
/// <c>capacity be -2 from 2027-04-05</c> (or <c>from week 12</c>), <c>delay i5 4</c>, <c>estimate i5 10</c>,
/// <c>cut i7</c>, <c>shrink i7 50%</c>, <c>add "Usage billing" 6 be:2;fe:1 after i3</c>, <c>runway 12</c> (months),
/// <c>first i5</c>.</summary>
public static partial class ScenarioSpec
{
    public const string Help = "capacity <team> <+n|-n> from <yyyy-mm-dd|week N> · delay <id> <weeks> · estimate <id> <weeks> · cut <id> · " +
                               "shrink <id> <percent>% · add \"<title>\" <weeks> [<team:people;...>] [after <id;id>] · runway <months> · first <id>";

    public static bool TryParse(string spec, Workspace workspace, out ScenarioChange? change, out string? error)
    {
        change = null;
        error = null;
        var text = spec.Trim();
        Match m;
        if ((m = Capacity().Match(text)).Success)
        {
            var delta = Bounded(m.Groups["delta"].Value, -RoadmapBounds.MaxPeople, RoadmapBounds.MaxPeople, "A change in capacity", " people", ref error);
            var from = m.Groups["date"].Success
                ? ParseDate(m.Groups["date"].Value, ref error)
                : Bounded(m.Groups["week"].Value, 0, RoadmapBounds.MaxWeeks, "The week", "", ref error) is { } week ? workspace.WeekStart(week) : null;
            if (error is not null) return false;
            change = new CapacityDelta(m.Groups["team"].Value, delta!.Value, from!.Value);
        }
        else if ((m = Simple().Match(text)).Success)
        {
            var key = m.Groups["id"].Value;
            var verb = m.Groups["verb"].Value.ToLowerInvariant();
            var n = m.Groups["n"].Success && verb is not ("cut" or "first")
                ? verb == "shrink" ? Bounded(m.Groups["n"].Value, 0, 100, "Shrinking", "%", ref error) : Bounded(m.Groups["n"].Value, 0, RoadmapBounds.MaxWeeks, verb == "delay" ? "A delay" : "An estimate", " weeks", ref error)
                : 0;
            if (error is not null) return false;
            change = verb switch
            {
                "delay" when m.Groups["n"].Success => new Delay(key, n!.Value),
                "estimate" or "reestimate" when m.Groups["n"].Success => new Reestimate(key, n!.Value),
                "shrink" when m.Groups["n"].Success => new Shrink(key, n!.Value),
                "cut" when !m.Groups["n"].Success => new Cut(key),
                "first" when !m.Groups["n"].Success => new ShipFirst(key),
                _ => null,
            };
        }
        else if ((m = Runway().Match(text)).Success)
        {
            if (Bounded(m.Groups["months"].Value, 1, RoadmapBounds.MaxRunwayMonths, "A runway", " months", ref error) is not { } months) return false;
            change = new RunwayLimit(months);
        }
        else if ((m = Add().Match(text)).Success)
        {
            if (Bounded(m.Groups["weeks"].Value, 0, RoadmapBounds.MaxWeeks, "A duration", " weeks", ref error) is not { } weeks) return false;
            var errors = new List<(string Field, string Message)>();
            var demand = m.Groups["demand"].Success ? Interchange.InitiativeText.ParseDemand(m.Groups["demand"].Value, workspace, "1", errors) : [];
            var deps = m.Groups["after"].Success
                ? Interchange.InitiativeText.ParseDependencies(m.Groups["after"].Value, r => workspace.FindInitiative(r) is not null ? r : null, errors)
                : [];
            if (errors.Count > 0) { error = string.Join(" ", errors.Select(e => e.Message)); return false; }
            var number = workspace.Initiatives.Count + 1;
            while (workspace.FindInitiative($"new{number}") is not null) number++;
            change = new AddInitiative(new Initiative
            {
                Key = $"new{number}",
                Title = m.Groups["title"].Value,
                DurationWeeks = weeks,
                Demand = demand,
                Dependencies = deps,
            });
        }
        if (change is null) error = $"Cannot read the change '{spec}'. Write one of: {Help}.";
        return change is not null;
    }

    /// <summary>A date within <see cref="RoadmapBounds"/>, or null with <paramref name="error"/> set.</summary>
    private static DateOnly? ParseDate(string text, ref string? error)
    {
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            error ??= $"'{text}' is not a date (yyyy-mm-dd).";
        else if (d < RoadmapBounds.EarliestDate || d > RoadmapBounds.LatestDate)
            error ??= $"The date must be between {RoadmapBounds.Format(RoadmapBounds.EarliestDate)} and {RoadmapBounds.Format(RoadmapBounds.LatestDate)} (got {text}).";
        else return d;
        return null;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or null with <paramref name="error"/>
    /// set (the first error stays), e.g. "A delay must be from 0 to 520 weeks (got 99999999999).".</summary>
    private static int? Bounded(string text, int min, int max, string what, string unit, ref string? error)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        error ??= $"{what} must be from {RoadmapBounds.Format(min)} to {RoadmapBounds.Format(max)}{unit} (got {text}).";
        return null;
    }

    [GeneratedRegex(@"^capacity\s+(?<team>\S+)\s+(?<delta>[+-]?\d+)\s+from\s+(?:(?<date>\d{4}-\d{2}-\d{2})|week\s+(?<week>\d+))$", RegexOptions.IgnoreCase)]
    private static partial Regex Capacity();

    [GeneratedRegex(@"^(?<verb>delay|estimate|reestimate|shrink|cut|first)\s+(?<id>\S+)(?:\s+(?<n>\d+)\s*(?:%|w|wk|weeks?)?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Simple();

    [GeneratedRegex(@"^runway\s+(?<months>\d+)(?:\s*(?:m|months?))?$", RegexOptions.IgnoreCase)]
    private static partial Regex Runway();

    [GeneratedRegex(@"^add\s+""(?<title>[^""]+)""\s+(?<weeks>\d+)\s*(?:w|wk|weeks?)?(?:\s+(?!after\b)(?<demand>\S+))?(?:\s+after\s+(?<after>\S+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex Add();
}
