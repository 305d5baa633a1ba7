namespace Planner.Engine.Evaluation;

/// <summary>The predicted label of one text and the probability of every label (in the classifier's label order).</summary>
public sealed record ClassifierPrediction(string Label, IReadOnlyList<double> Probabilities);
