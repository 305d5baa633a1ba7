namespace Planner.Insights;

/// <summary>The port through which Insights asks for review verdicts. Planner does not know how they are made; the
/// hosts (Web, Cli) bind it to the GPT-2 classifier of the Engine.</summary>
public interface IReviewClassifier
{
    /// <summary>What the classifier can tell, e.g. "sentiment (negative, neutral, positive)"; shown with the evidence.</summary>
    string Description { get; }

    /// <summary>One verdict per text, in the same order.</summary>
    Task<IReadOnlyList<ReviewVerdict>> ClassifyAsync(IReadOnlyList<string> texts, CancellationToken ct = default);
}
