using System.Globalization;
using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Web.Components.Pages.Roadmap;

/// <summary>The Gantt's geometry, computed once per render and tested on its own: the scale of each zoom, the header
/// ticks, where each bar, arrow, deadline and the today line go (pixels from the left of the track area; rows
/// <see cref="RowHeight"/> high in the order given).</summary>
public sealed class GanttLayout
{
    public const double RowHeight = 28;

    /// <summary>How far an arrow leaves a bar's end before it turns.</summary>
    public const double ArrowStub = 6;

    public GanttLayout(Workspace workspace, IReadOnlyList<ScheduledItem> rows, GanttZoom zoom, DateOnly today, IReadOnlySet<string>? critical = null)
    {
        Workspace = workspace;
        Zoom = zoom;
        WeekWidth = WeekWidthOf(zoom);
        Weeks = Math.Max(rows.Count == 0 ? 0 : rows.Max(r => r.FinishWeek), 4) + 2;
        Rows = rows;
        var row = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++) row[rows[i].Key] = i;
        RowOf = row;
        Ticks = TicksOf(workspace, Weeks, zoom);
        Bands = TicksOf(workspace, Weeks, zoom == GanttZoom.Quarters ? null : GanttZoom.Quarters);
        var days = today.DayNumber - workspace.PlanningStart.DayNumber;
        TodayX = days >= 0 && days <= Weeks * 7 ? days / 7.0 * WeekWidth : null;
        Arrows = ArrowsOf(workspace, rows, row, critical ?? new HashSet<string>());
    }

    public Workspace Workspace { get; }
    public GanttZoom Zoom { get; }
    public double WeekWidth { get; }

    /// <summary>Weeks the chart spans: the plan's end plus two, at least six.</summary>
    public int Weeks { get; }
    public IReadOnlyList<ScheduledItem> Rows { get; }
    public IReadOnlyDictionary<string, int> RowOf { get; }

    /// <summary>The lower header: one cell per week, month or quarter.</summary>
    public IReadOnlyList<GanttTick> Ticks { get; }

    /// <summary>The upper header: quarters (years when the ticks are quarters).</summary>
    public IReadOnlyList<GanttTick> Bands { get; }

    /// <summary>Where today is, or null when today is outside the chart.</summary>
    public double? TodayX { get; }
    public IReadOnlyList<GanttArrow> Arrows { get; }

    public double Width => Weeks * WeekWidth;
    public double Height => Rows.Count * RowHeight;

    public static double WeekWidthOf(GanttZoom zoom) => zoom switch
    {
        GanttZoom.Weeks => 44,
        GanttZoom.Months => 18,
        GanttZoom.Quarters => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(zoom)),
    };

    public double X(int week) => week * WeekWidth;

    public double RowCenter(int row) => row * RowHeight + RowHeight / 2;

    /// <summary>Where a deadline line goes: the end of the day of the deadline (a bar ending that day touches it).</summary>
    public double DeadlineX(DateOnly deadline) => (deadline.DayNumber - Workspace.PlanningStart.DayNumber + 1) / 7.0 * WeekWidth;

    /// <summary>The week a bar dragged by <paramref name="pixels"/> starts in, never before week 0.</summary>
    public int DraggedStart(int startWeek, double pixels) => Math.Max(0, startWeek + (int)Math.Round(pixels / WeekWidth, MidpointRounding.AwayFromZero));

    /// <summary>Cells of the given unit (null: one per year) over the chart's weeks: a week belongs to the month or
    /// quarter its first day falls in.</summary>
    public static IReadOnlyList<GanttTick> TicksOf(Workspace workspace, int weeks, GanttZoom? unit)
    {
        var ticks = new List<GanttTick>();
        for (var w = 0; w < weeks; w++)
        {
            var date = workspace.WeekStart(w);
            var label = unit switch
            {
                GanttZoom.Weeks => date.ToString("MMM d", CultureInfo.InvariantCulture),
                GanttZoom.Months => date.ToString("MMM yyyy", CultureInfo.InvariantCulture),
                GanttZoom.Quarters => $"{date.Year} Q{(date.Month - 1) / 3 + 1}",
                _ => date.Year.ToString(CultureInfo.InvariantCulture),
            };
            if (unit != GanttZoom.Weeks && ticks.Count > 0 && ticks[^1].Label == label) ticks[^1] = ticks[^1] with { Weeks = ticks[^1].Weeks + 1 };
            else ticks.Add(new GanttTick(label, w, 1));
        }
        return ticks;
    }

    private List<GanttArrow> ArrowsOf(Workspace workspace, IReadOnlyList<ScheduledItem> rows, Dictionary<string, int> row, IReadOnlySet<string> critical)
    {
        var arrows = new List<GanttArrow>();
        foreach (var successor in rows)
        {
            var item = workspace.FindInitiative(successor.Key);
            if (item is null) continue;
            foreach (var dependency in item.Dependencies)
            {
                if (!row.TryGetValue(dependency.PredecessorKey, out var from)) continue; // filtered out or not scheduled
                var predecessor = rows[from];
                var (x1, y1) = (X(predecessor.FinishWeek), RowCenter(from));
                var (x2, y2) = (X(successor.StartWeek), RowCenter(row[successor.Key]));
                arrows.Add(new GanttArrow(predecessor.Key, successor.Key, x1, y1, x2, y2, PathOf(x1, y1, x2, y2),
                    critical.Contains(predecessor.Key) && critical.Contains(successor.Key)));
            }
        }
        return arrows;
    }

    /// <summary>Right from the predecessor's end, down (or up) to the successor's row, right into its start; when the
    /// successor starts before there is room for that (a lag-free start in the same week, or a negative gap), the
    /// arrow turns back between the rows first.</summary>
    public static string PathOf(double x1, double y1, double x2, double y2)
    {
        var turn = x1 + ArrowStub;
        if (x2 - ArrowStub >= turn)
            return FormattableString.Invariant($"M {x1:0.#} {y1:0.#} H {turn:0.#} V {y2:0.#} H {x2:0.#}");
        var between = y2 + (y2 > y1 ? -RowHeight / 2 : RowHeight / 2);
        return FormattableString.Invariant($"M {x1:0.#} {y1:0.#} H {turn:0.#} V {between:0.#} H {x2 - ArrowStub:0.#} V {y2:0.#} H {x2:0.#}");
    }
}
