using Planner.Insights.Labelling;

namespace Planner.Tests.Insights.Labelling;

public class LabelSetCheckTests
{
    [Fact]
    public void Two_classes_with_two_examples_each_can_train()
    {
        Assert.Null(LabelSetCheck.Problem(["bug", "bug", "praise", "praise"]));
    }

    [Fact]
    public void One_class_or_a_class_with_one_example_cannot_and_says_so()
    {
        Assert.Equal("No review is labelled yet: label some reviews first.", LabelSetCheck.Problem([]));
        Assert.Contains("Every labelled review has the label 'bug'", LabelSetCheck.Problem(["bug", "bug", " bug "]));
        Assert.Equal("'praise' and 'pricing' have only one example: a classifier needs at least two of each class (one to learn from, one to check). Label more, or relabel them.",
            LabelSetCheck.Problem(["bug", "bug", "pricing", "praise"]));
    }

    [Fact]
    public void Classes_that_differ_by_case_spacing_or_a_typo_are_near_duplicates()
    {
        var warnings = LabelSetCheck.NearDuplicates(["Positive", "positive ", "negative", "negativ", "feature request", "feature-request", "ok", "no", "bug", "praise"]);
        Assert.Equal(3, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith("'Positive' and 'positive'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("'negativ' and 'negative'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("'feature request' and 'feature-request'", StringComparison.Ordinal));
        Assert.Empty(LabelSetCheck.NearDuplicates(["negative", "neutral", "positive", "bug", "usability", "pricing", "praise", "feature request"]));
    }
}
