using Planner.Roadmaps;

namespace Planner.Persistence;

/// <summary>The outcome of a change to the saved roadmap: saved, refused with problems, or refused because someone
/// else saved first (<see cref="Conflict"/>). Nothing is written unless <see cref="Ok"/>.</summary>
public sealed record SaveResult(bool Ok, IReadOnlyList<RoadmapProblem> Problems, bool Conflict = false)
{
    public static readonly SaveResult Saved = new(true, []);

    public static SaveResult Invalid(IReadOnlyList<RoadmapProblem> problems) => new(false, problems);

    public static SaveResult Invalid(string? item, string? field, string message) => new(false, [new RoadmapProblem(item, field, message)]);

    public static SaveResult Conflicted(string item, string message) => new(false, [new RoadmapProblem(item, null, message)], Conflict: true);

    public string Message => string.Join(" ", Problems.Select(p => p.ToString()));
}
