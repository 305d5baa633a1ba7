using Planner.Engine.Evaluation;
using Planner.Hosting.Training;
using Planner.Web.Components.Pages.Training;

namespace Planner.Web.Tests.Training;

/// <summary>A classifier run's report on the Training page: GPT-2, the baseline, the two combined and the pretrained
/// encoder side by side on the held-out texts, and which one evidence uses — chosen on validation texts — and why.</summary>
public sealed class EvaluationReportViewTests : BunitContext
{
    private static readonly string[] Labels = ["negative", "positive"];
    private static readonly int[] Actual = [0, 0, 0, 1, 1, 1];

    private static ClassificationReport Report(params int[] predicted) => ClassificationReport.Compute(Actual, predicted, Labels);

    private static EvaluationReport Run(BaselineComparison comparison) =>
        new(TrainingTask.Classifier, HeldOutDocuments: 6) { Classification = Report(0, 1, 0, 1, 0, 1), Baseline = comparison };

    /// <summary>GPT-2, the baseline and the two combined, with the choice the rule makes on <paramref name="validation"/>.</summary>
    private static BaselineComparison WithCombination(ValidationScores validation)
    {
        var (choice, reason) = BaselineComparison.Choose(validation);
        return new BaselineComparison("TF-IDF, linear", Report(0, 0, 1, 1, 0, 1), new BootstrapInterval(0, -0.3, 0.3, 0.95, 2000),
            new BootstrapInterval(0, -0.3, 0.3, 0.95, 2000), choice, reason)
        {
            CombinedReport = Report(0, 0, 0, 1, 1, 0),
            CombinedAccuracyDifference = new BootstrapInterval(0.167, 0, 0.5, 0.95, 2000),
            CombinedMacroF1Difference = new BootstrapInterval(0.162, -0.1, 0.5, 0.95, 2000),
            Validation = validation,
        };
    }

    [Theory]
    [InlineData(2, "1,234 tokens of 2 held-out document(s)")]
    [InlineData(0, "1,234 tokens held out from the end of the only document")]
    public void A_language_model_report_says_what_was_held_out(int documents, string expected)
    {
        var report = new EvaluationReport(TrainingTask.LanguageModel, HeldOutTokens: 1234, HeldOutDocuments: documents) { LossBefore = 10.8, PerplexityBefore = 49000 };

        var view = Render<EvaluationReportView>(ps => ps.Add(p => p.Report, report));

        Assert.EndsWith(expected, view.Find("[data-testid=perplexity-report]").TextContent.Trim());
    }

    [Fact]
    public void The_three_candidates_are_shown_side_by_side_and_the_choice_made_on_validation_is_said()
    {
        var validation = new ValidationScores(6, Report(0, 1, 0, 1, 0, 1), Report(0, 0, 1, 1, 0, 1), Report(0, 0, 0, 1, 1, 1));
        var comparison = WithCombination(validation);

        var view = Render<EvaluationReportView>(ps => ps.Add(p => p.Report, Run(comparison)));

        var table = view.Find("[data-testid=baseline-comparison]");
        Assert.Equal(["", "GPT-2", "baseline", "combined", "GPT-2 − baseline", "combined − baseline"], table.QuerySelectorAll("thead th").Select(th => th.TextContent));
        var accuracy = table.QuerySelectorAll("tbody tr")[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["0.667", "0.667", "0.833", "0.000 (95% CI -0.300 to +0.300)", "+0.167 (95% CI 0.000 to +0.500)"], accuracy);
        var choiceText = view.Find("[data-testid=evidence-choice]").TextContent;
        Assert.StartsWith("Evidence uses GPT-2 and the baseline combined: the default, as the baseline alone does not beat it by more than chance on the 6 validation texts (macro-F1 combined 1,", choiceText.Trim());
        Assert.Equal(3, view.FindAll("[data-testid=baseline-confusion-matrix], [data-testid=confusion-matrix], [data-testid=combined-confusion-matrix]").Count);
    }

    [Fact]
    public void The_pretrained_encoder_is_a_fourth_column_with_its_difference_from_the_baseline_and_its_confusion_matrix()
    {
        var validation = new ValidationScores(6, Report(0, 1, 0, 1, 0, 1), Report(0, 0, 1, 1, 0, 1), Report(0, 0, 0, 1, 1, 1))
        {
            Encoder = Report(0, 0, 0, 1, 1, 1),
            BaselineOverEncoder = new BootstrapInterval(-0.3, -0.6, 0, 0.95, 2000),
            CombinedOverEncoder = new BootstrapInterval(0, 0, 0, 0.95, 2000),
        };
        var comparison = WithCombination(validation) with
        {
            EncoderReport = Report(0, 0, 0, 1, 1, 1),
            EncoderAccuracyDifference = new BootstrapInterval(0.333, 0, 0.667, 0.95, 2000),
            EncoderMacroF1Difference = new BootstrapInterval(0.343, 0, 0.7, 0.95, 2000),
        };

        var view = Render<EvaluationReportView>(ps => ps.Add(p => p.Report, Run(comparison)));

        var table = view.Find("[data-testid=baseline-comparison]");
        Assert.Equal(["", "GPT-2", "baseline", "combined", "encoder", "GPT-2 − baseline", "combined − baseline", "encoder − baseline"],
            table.QuerySelectorAll("thead th").Select(th => th.TextContent));
        var accuracy = table.QuerySelectorAll("tbody tr")[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["0.667", "0.667", "0.833", "1.000", "0.000 (95% CI -0.300 to +0.300)", "+0.167 (95% CI 0.000 to +0.500)", "+0.333 (95% CI 0.000 to +0.667)"], accuracy);
        Assert.StartsWith("Evidence uses the pretrained encoder: the default, as no other model beats it by more than chance", view.Find("[data-testid=evidence-choice]").TextContent.Trim());
        Assert.Contains("all-MiniLM-L6-v2", view.Find("[data-testid=evidence-choice]").TextContent);
        Assert.Single(view.FindAll("[data-testid=encoder-confusion-matrix]"));
        Assert.Equal(4, view.FindAll("[data-testid$=confusion-matrix]").Count);
    }

    [Fact]
    public void A_report_written_before_the_combination_existed_shows_the_two_models_it_has()
    {
        var old = new BaselineComparison("TF-IDF, linear", Report(0, 0, 1, 1, 0, 1), new BootstrapInterval(0, -0.3, 0.3, 0.95, 2000),
            new BootstrapInterval(0, -0.3, 0.3, 0.95, 2000), BaselineComparison.Baseline, "higher macro-F1 on the 6 held-out reviews");

        var view = Render<EvaluationReportView>(ps => ps.Add(p => p.Report, Run(old)));

        Assert.Equal(["", "GPT-2", "baseline", "GPT-2 − baseline"], view.FindAll("[data-testid=baseline-comparison] thead th").Select(th => th.TextContent));
        Assert.StartsWith("Evidence uses the baseline: higher macro-F1", view.Find("[data-testid=evidence-choice]").TextContent.Trim());
    }
}
