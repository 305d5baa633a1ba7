namespace Planner.Scenarios;

/// <summary>An initiative that is in both roadmaps with at least one field changed.</summary>
public sealed record InitiativeChange(string Key, string Title, IReadOnlyList<FieldChange> Fields);
