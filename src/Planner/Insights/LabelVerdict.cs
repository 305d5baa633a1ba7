namespace Planner.Insights;

/// <summary>A predicted label, its probability, and the probability of every label the classifier knows.</summary>
public sealed record LabelVerdict(string Label, double Probability, IReadOnlyDictionary<string, double> Probabilities);
