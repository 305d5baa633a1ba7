namespace Planner.Insights;

/// <summary>What the classifier says about one review: its sentiment and its category (theme), each null when the
/// classifier in use does not tell that aspect.</summary>
public sealed record ReviewVerdict(LabelVerdict? Sentiment, LabelVerdict? Category);
