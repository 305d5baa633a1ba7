namespace Planner.Engine.Training;

/// <summary>One evaluation on held-out data: the loss the trainer keeps the best checkpoint by, and the task's own
/// measures (perplexity for a language model; accuracy and macro-F1 for a classifier).</summary>
public sealed record ObjectiveEvaluation(double Loss, double? Perplexity = null, double? Accuracy = null, double? MacroF1 = null);
