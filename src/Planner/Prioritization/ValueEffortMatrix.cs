using Planner.Roadmaps;

namespace Planner.Prioritization;

/// <summary>The value/effort 2×2: each initiative with a value (weighted business value + time criticality + risk
/// reduction) and an effort, split into quadrants at the median value and the median effort of those plotted.
/// Done and dropped initiatives, and those missing either number, are left out (listed in <see cref="Unplotted"/>).</summary>
public sealed record ValueEffortMatrix(IReadOnlyList<ValueEffortPoint> Points, double ValueMedian, double EffortMedian, IReadOnlyList<string> Unplotted)
{
    public const string QuickWin = "quick win";
    public const string BigBet = "big bet";
    public const string FillIn = "fill-in";
    public const string TimeSink = "time sink";

    /// <summary>The quadrants in reading order: top left, top right, bottom left, bottom right (effort grows to the right).</summary>
    public static readonly IReadOnlyList<string> Quadrants = [QuickWin, BigBet, FillIn, TimeSink];

    public static string QuadrantOf(double value, double effort, double valueMedian, double effortMedian) =>
        (value >= valueMedian, effort <= effortMedian) switch
        {
            (true, true) => QuickWin,
            (true, false) => BigBet,
            (false, true) => FillIn,
            (false, false) => TimeSink,
        };

    public static ValueEffortMatrix Of(IEnumerable<Initiative> initiatives, ScoringSettings settings)
    {
        var active = initiatives.Where(i => i.Status is not (InitiativeStatus.Done or InitiativeStatus.Dropped)).ToList();
        var measured = active.Select(i => (i, value: Prioritizer.ValueOf(i, settings), effort: Prioritizer.EffortOf(i)))
            .Where(x => x.value is not null && x.effort is not null).Select(x => (x.i, value: x.value!.Value, effort: x.effort!.Value)).ToList();
        var unplotted = active.Where(i => measured.All(m => m.i != i)).Select(i => i.Key).ToList();
        if (measured.Count == 0) return new ValueEffortMatrix([], 0, 0, unplotted);
        var valueMedian = Median([.. measured.Select(m => m.value).Order()]);
        var effortMedian = Median([.. measured.Select(m => m.effort).Order()]);
        var points = measured.Select(m => new ValueEffortPoint(m.i.Key, m.i.Title, m.value, m.effort,
            QuadrantOf(m.value, m.effort, valueMedian, effortMedian))).ToList();
        return new ValueEffortMatrix(points, valueMedian, effortMedian, unplotted);
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    public ValueEffortPoint? Find(string key) => Points.FirstOrDefault(p => p.Key == key);
}
