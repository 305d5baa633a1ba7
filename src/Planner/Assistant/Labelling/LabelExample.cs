namespace Planner.Assistant.Labelling;

/// <summary>A review the founder labelled, shown to the model as an example (few-shot).</summary>
public sealed record LabelExample(string Text, string Label);
