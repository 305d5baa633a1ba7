namespace Planner.Scenarios;

/// <summary>One field of one initiative that differs between two roadmaps, as the founder would read it.</summary>
/// <param name="Field">The field in the roadmap file's spelling (e.g. "durationWeeks").</param>
public sealed record FieldChange(string Field, string Before, string After);
