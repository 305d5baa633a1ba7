namespace Planner.Engine.Data;

/// <summary>A text with its class label (e.g. a review and its sentiment).</summary>
public sealed record LabelledExample(string Text, string Label);
