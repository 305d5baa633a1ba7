using Planner.Engine.Evaluation;

namespace Planner.Hosting.Training;

/// <summary>The end-of-run evaluation on the held-out data, kept in the run's report.json. For a language model:
/// validation loss and perplexity of the starting weights (measured at step 0) and of the best checkpoint, on the same
/// held-out windows. For a classifier: accuracy, macro-F1, per-class F1 and the confusion matrix of the best checkpoint,
/// and the same for the classical baseline trained on the same split, with which of the two the evidence uses.</summary>
public sealed record EvaluationReport(TrainingTask Task, long HeldOutTokens = 0, int HeldOutDocuments = 0)
{
    public double? LossBefore { get; init; }
    public double? PerplexityBefore { get; init; }
    public double? LossAfter { get; init; }
    public double? PerplexityAfter { get; init; }
    public ClassificationReport? Classification { get; init; }
    public BaselineComparison? Baseline { get; init; }
}
