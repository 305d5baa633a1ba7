namespace Planner.Assistant.Labelling;

/// <summary>A model's label for a review. <see cref="Probabilities"/> (each label's probability among the label set, from
/// the model's token probabilities) and <see cref="Confidence"/> (the chosen label's) are null when the model does not
/// tell them — an OpenAI-compatible server returns text, not probabilities — and never guessed.</summary>
public sealed record LabelSuggestion(string Label, IReadOnlyDictionary<string, double>? Probabilities)
{
    public double? Confidence => Probabilities?.GetValueOrDefault(Label);

    /// <summary>The likeliest label's probability minus the runner-up's: the smaller, the more a founder's label of this
    /// review teaches (active learning asks about the smallest margins first). Null when the probabilities are unknown.</summary>
    public double? Margin => Probabilities is { Count: >= 2 } p
        ? p.Values.OrderDescending().Take(2).Aggregate((a, b) => a - b)
        : null;
}
