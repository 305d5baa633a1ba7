using System.Globalization;

namespace Planner.Sharing;

/// <summary>The chart's columns (months or quarters) from the plan's start to its end, and where a date falls on it;
/// shared by the PDF and the HTML so both draw the same chart.</summary>
internal sealed class ShareTimeline
{
    public IReadOnlyList<(string Label, DateOnly From)> Periods { get; }
    public DateOnly First { get; }

    /// <summary>The day after the last column.</summary>
    public DateOnly Last { get; }

    public ShareTimeline(ShareReport report)
    {
        var from = report.Items.Count == 0 ? report.PlanningStart : new[] { report.PlanningStart, report.Items.Min(i => i.Start) }.Min();
        var until = report.End ?? from;
        var months = report.Scale == ShareScale.Quarter ? 3 : 1;
        var first = new DateOnly(from.Year, (from.Month - 1) / months * months + 1, 1);
        var periods = new List<(string, DateOnly)>();
        var at = first;
        do
        {
            periods.Add((Label(at, report.Scale), at));
            at = at.AddMonths(months);
        }
        while (at <= until);
        Periods = periods;
        First = first;
        Last = at;
    }

    /// <summary>Where the start of <paramref name="date"/> lies between the first and the last column, 0 to 1.</summary>
    public double At(DateOnly date) => Math.Clamp((double)(date.DayNumber - First.DayNumber) / (Last.DayNumber - First.DayNumber), 0, 1);

    /// <summary>Where the end of <paramref name="date"/> lies (a bar ends after its last day).</summary>
    public double AfterEnd(DateOnly date) => At(date.AddDays(1));

    private static string Label(DateOnly date, ShareScale scale) => scale == ShareScale.Quarter
        ? $"Q{(date.Month - 1) / 3 + 1} {date.Year}"
        : date.ToString("MMM yyyy", CultureInfo.InvariantCulture);
}
