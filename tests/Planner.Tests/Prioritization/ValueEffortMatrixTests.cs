using Planner.Prioritization;
using Planner.Roadmaps;

namespace Planner.Tests.Prioritization;

public class ValueEffortMatrixTests
{
    private static Initiative Valued(string key, double? value, double? effort, InitiativeStatus status = InitiativeStatus.Planned)
    {
        var i = Samples.Item(key, 2, ("be", 1));
        (i.BusinessValue, i.Effort, i.Status) = (value, effort, status);
        return i;
    }

    [Fact]
    public void Quadrants_split_at_the_median_value_and_effort()
    {
        var matrix = ValueEffortMatrix.Of(
        [
            Valued("win", 9, 1), Valued("bet", 8, 20), Valued("fill", 1, 2), Valued("sink", 2, 30),
            Valued("blank", null, 3), Valued("old", 9, 1, InitiativeStatus.Done),
        ], ScoringSettings.Default);

        Assert.Equal(5, matrix.ValueMedian);      // of 1, 2, 8, 9
        Assert.Equal(11, matrix.EffortMedian);    // of 1, 2, 20, 30
        Assert.Equal(new Dictionary<string, string>
        {
            ["win"] = ValueEffortMatrix.QuickWin, ["bet"] = ValueEffortMatrix.BigBet,
            ["fill"] = ValueEffortMatrix.FillIn, ["sink"] = ValueEffortMatrix.TimeSink,
        }, matrix.Points.ToDictionary(p => p.Key, p => p.Quadrant));
        Assert.Equal(["blank"], matrix.Unplotted); // no value; a done initiative is not plotted at all
    }

    [Fact]
    public void A_point_on_a_median_counts_as_high_value_and_low_effort()
    {
        Assert.Equal(ValueEffortMatrix.QuickWin, ValueEffortMatrix.QuadrantOf(5, 11, 5, 11));
        Assert.Equal(ValueEffortMatrix.TimeSink, ValueEffortMatrix.QuadrantOf(4.9, 11.1, 5, 11));
    }

    [Fact]
    public void Nothing_to_plot_is_an_empty_chart_not_an_error()
    {
        var matrix = ValueEffortMatrix.Of([Valued("a", null, null)], ScoringSettings.Default);
        Assert.Empty(matrix.Points);
        Assert.Equal(["a"], matrix.Unplotted);
    }
}
