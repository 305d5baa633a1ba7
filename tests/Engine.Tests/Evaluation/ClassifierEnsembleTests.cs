using Planner.Engine.Evaluation;

namespace Planner.Engine.Tests.Evaluation;

public class ClassifierEnsembleTests
{
    private static readonly string[] Labels = ["negative", "neutral", "positive"];

    [Fact]
    public void The_mean_of_the_probabilities_can_pick_a_label_neither_model_picked()
    {
        // One model is sure it is negative, the other sure it is positive; both find neutral likely.
        var first = new[] { new ClassifierPrediction("negative", [0.50, 0.45, 0.05]), new ClassifierPrediction("positive", [0.1, 0.2, 0.7]) };
        var second = new[] { new ClassifierPrediction("positive", [0.05, 0.45, 0.50]), new ClassifierPrediction("positive", [0.3, 0.3, 0.4]) };
        var mean = ClassifierEnsemble.Average(first, second, Labels);
        Assert.Equal(["neutral", "positive"], mean.Select(p => p.Label));
        Assert.Equal([0.275, 0.45, 0.275], mean[0].Probabilities.Select(p => Math.Round(p, 9)));
        Assert.Equal(1.0, mean[1].Probabilities.Sum(), 9);
    }

    [Fact]
    public void Predictions_that_do_not_line_up_are_a_programming_error()
    {
        var one = new[] { new ClassifierPrediction("negative", [0.6, 0.3, 0.1]) };
        Assert.Throws<ArgumentException>(() => ClassifierEnsemble.Average(one, [], Labels));
        Assert.Throws<ArgumentException>(() => ClassifierEnsemble.Average(one, [new ClassifierPrediction("negative", [0.6, 0.4])], Labels));
    }
}
