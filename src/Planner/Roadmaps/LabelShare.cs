namespace Planner.Roadmaps;

/// <summary>One label's share of a set of reviews, e.g. ("negative", 0.6).</summary>
public sealed record LabelShare(string Label, double Share);
