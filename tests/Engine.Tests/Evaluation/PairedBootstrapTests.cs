using Planner.Engine.Evaluation;

namespace Planner.Engine.Tests.Evaluation;

public class PairedBootstrapTests
{
    private static readonly string[] Labels = ["a", "b"];

    [Fact]
    public void Two_models_with_the_same_predictions_differ_by_exactly_zero_in_every_resample()
    {
        int[] actual = [0, 1, 0, 1, 1, 0], predicted = [0, 1, 1, 1, 0, 0];
        var interval = PairedBootstrap.Difference(actual, predicted, predicted, Labels, r => r.Accuracy, seed: 1);
        Assert.Equal((0.0, 0.0, 0.0), (interval.Difference, interval.Low, interval.High));
        Assert.False(interval.ExcludesZero);
    }

    [Fact]
    public void A_model_right_everywhere_the_other_is_wrong_has_an_interval_above_zero_around_the_observed_difference()
    {
        // 30 items: the first model is right on all, the second on a third of them.
        var actual = Enumerable.Range(0, 30).Select(i => i % 2).ToArray();
        var second = actual.Select((a, i) => i % 3 == 0 ? a : 1 - a).ToArray();
        var interval = PairedBootstrap.Difference(actual, actual, second, Labels, r => r.Accuracy, seed: 7, resamples: 500);
        Assert.Equal(1 - 10.0 / 30, interval.Difference, 12);
        Assert.True(interval.Low > 0 && interval.Low <= interval.Difference && interval.Difference <= interval.High && interval.High <= 1, interval.ToString());
        Assert.True(interval.ExcludesZero);
        Assert.Equal((0.95, 500), (interval.Level, interval.Resamples));
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval()
    {
        int[] actual = [0, 1, 0, 1, 1, 0, 1, 0, 0, 1], first = [0, 1, 1, 1, 1, 0, 0, 0, 0, 1], second = [1, 1, 0, 0, 1, 1, 1, 0, 1, 1];
        var one = PairedBootstrap.Difference(actual, first, second, Labels, r => r.MacroF1, seed: 3);
        Assert.Equal(one, PairedBootstrap.Difference(actual, first, second, Labels, r => r.MacroF1, seed: 3));
    }

    [Fact]
    public void Predictions_of_different_lengths_are_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => PairedBootstrap.Difference([0, 1], [0], [0, 1], Labels, r => r.Accuracy, seed: 1));
    }
}
