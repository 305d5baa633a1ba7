using Planner.Engine.Evaluation;

namespace Planner.Engine.Tests.Evaluation;

public class ClassificationReportTests
{
    [Fact]
    public void Accuracy_macro_f1_and_the_confusion_matrix_match_a_hand_computed_example()
    {
        // actual:    a a a b b c
        // predicted: a a b b c c
        var report = ClassificationReport.Compute([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], ["a", "b", "c"]);
        Assert.Equal(4.0 / 6, report.Accuracy, 12);
        // F1: a = 2·2/(3+2) = 0.8, b = 2·1/(2+2) = 0.5, c = 2·1/(1+2) = 2/3
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, report.MacroF1, 12);
        Assert.Equal([2, 1, 0], report.ConfusionMatrix[0]);
        Assert.Equal([0, 1, 1], report.ConfusionMatrix[1]);
        Assert.Equal([0, 0, 1], report.ConfusionMatrix[2]);
        Assert.Equal([0.8, 0.5, 2.0 / 3], report.PerClassF1.Select(f => f!.Value));
    }
}
