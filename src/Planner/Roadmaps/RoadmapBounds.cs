using System.Globalization;

namespace Planner.Roadmaps;

/// <summary>The largest (and smallest) values a roadmap may hold. No real startup roadmap comes near them; they exist
/// so that every week number, date and sum the schedulers compute stays far inside <see cref="int"/> and
/// <see cref="DateOnly"/>. docs/roadmap-format.md lists them with the reasons.</summary>
public static class RoadmapBounds
{
    /// <summary>The earliest date anywhere in a roadmap (planning start, dates of initiatives, capacity changes).</summary>
    public static readonly DateOnly EarliestDate = new(2000, 1, 1);

    /// <summary>The latest date anywhere in a roadmap.</summary>
    public static readonly DateOnly LatestDate = new(2100, 12, 31);

    /// <summary>Ten years: the longest duration and the longest lag after a dependency, in weeks.</summary>
    public const int MaxWeeks = 520;

    /// <summary>All the work laid end to end (each initiative's duration plus its longest lag): about 1,000 years,
    /// which bounds any schedule's length and keeps its dates before the year 4000.</summary>
    public const int MaxTotalWeeks = 52_000;

    /// <summary>People in a team, in a capacity change, or demanded by an initiative from one team.</summary>
    public const int MaxPeople = 10_000;

    /// <summary>Initiatives in one roadmap; imports refuse larger files before reading their rows.</summary>
    public const int MaxInitiatives = 5_000;

    /// <summary>Teams in one roadmap (schedules keep every team's capacity for every week).</summary>
    public const int MaxTeams = 200;

    /// <summary>Tags on one initiative: enough to label it, few enough to read at a glance.</summary>
    public const int MaxTags = 20;

    /// <summary>Characters in one tag.</summary>
    public const int MaxTagLength = 40;

    /// <summary>A hundred years of runway, in months.</summary>
    public const int MaxRunwayMonths = 1_200;

    /// <summary>RICE reach: people or events per period; a billion is more than any product reaches.</summary>
    public const double MaxReach = 1_000_000_000;

    /// <summary>Every other scoring input (impact, effort, business value, time criticality, risk reduction) and the
    /// framework's weights; usual scales run from 0.25 to 100.</summary>
    public const double MaxScore = 1_000_000;

    /// <summary>The most person-weeks an effort may give: the longest duration with the most people.</summary>
    public const double MaxEffortPersonWeeks = (double)MaxWeeks * MaxPeople;

    /// <summary>A number in the messages' style, e.g. "10,000".</summary>
    public static string Format(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    /// <summary>A date in the messages' style, e.g. "2100-12-31".</summary>
    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
