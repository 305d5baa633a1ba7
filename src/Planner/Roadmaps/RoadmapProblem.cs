namespace Planner.Roadmaps;

/// <summary>Something wrong with a roadmap that a founder can fix: which item, which field, and why.</summary>
/// <param name="Item">The id of the team, objective or initiative concerned, or null for the roadmap as a whole.</param>
/// <param name="Field">The field concerned, in the roadmap file's spelling (e.g. "dependsOn"), or null.</param>
/// <param name="Message">A sentence that says what is wrong.</param>
public sealed record RoadmapProblem(string? Item, string? Field, string Message)
{
    public override string ToString() => Item is null ? Message : Field is null ? $"{Item}: {Message}" : $"{Item}.{Field}: {Message}";
}
