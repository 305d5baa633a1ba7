using Planner.Roadmaps;

namespace Planner.Interchange;

/// <summary>The outcome of reading a roadmap file: a valid workspace, or the full list of problems (and no workspace).</summary>
public sealed record ImportResult(Workspace? Workspace, IReadOnlyList<ImportProblem> Problems)
{
    public bool Ok => Workspace is not null && Problems.Count == 0;

    public static ImportResult Succeeded(Workspace workspace) => new(workspace, []);
    public static ImportResult Failed(params ImportProblem[] problems) => new(null, problems);
}
