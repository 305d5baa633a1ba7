namespace Planner.Insights.Labelling;

/// <summary>A review's label changed (or was removed: <see cref="Label"/> null), as announced to the pages that show it.</summary>
public sealed record LabelChange(string Workspace, string ReviewsFile, string Column, string ReviewKey, string? Label, LabelSource? SetBy, int Version);
