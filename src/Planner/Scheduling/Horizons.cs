using Planner.Roadmaps;

namespace Planner.Scheduling;

/// <summary>Puts each scheduled initiative into now, next or later by when the plan starts it, counted from today
/// (or from the planning start when that is still ahead): now = already started or starting within
/// <see cref="NowWeeks"/> weeks; next = starting in the <see cref="NextWeeks"/> weeks after that; later = the rest.</summary>
public static class Horizons
{
    public const int NowWeeks = 6;
    public const int NextWeeks = 12;

    /// <summary>The week the horizons count from: today's week of the plan, never before week 0.</summary>
    public static int ReferenceWeek(Workspace workspace, DateOnly today) => Math.Max(0, workspace.WeekOf(today));

    public static Horizon Of(ScheduledItem item, int referenceWeek) =>
        item.StartWeek < referenceWeek + NowWeeks ? Horizon.Now
        : item.StartWeek < referenceWeek + NowWeeks + NextWeeks ? Horizon.Next
        : Horizon.Later;

    /// <summary>Every scheduled initiative in its column, each column in start order.</summary>
    public static IReadOnlyDictionary<Horizon, IReadOnlyList<ScheduledItem>> Group(Workspace workspace, Schedule schedule, DateOnly today)
    {
        var reference = ReferenceWeek(workspace, today);
        return Enum.GetValues<Horizon>().ToDictionary(h => h, h => (IReadOnlyList<ScheduledItem>)schedule.Items
            .Where(s => Of(s, reference) == h).OrderBy(s => s.StartWeek).ThenBy(s => s.Key, StringComparer.Ordinal).ToList());
    }
}
