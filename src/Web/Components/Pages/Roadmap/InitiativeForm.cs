using Planner.Roadmaps;

namespace Planner.Web.Components.Pages.Roadmap;

/// <summary>The detail panel's copy of one initiative while it is edited: the plain fields on <see cref="Draft"/>, and
/// instead of the grid's one-line text, demand as a number per team of the workspace, dependencies as initiatives
/// chosen from the roadmap with their lag, and objectives as a set of links. <see cref="Source"/> is the initiative as
/// it was opened; its version is what the save is checked against, so an edit saved meanwhile elsewhere is never
/// overwritten.</summary>
public sealed class InitiativeForm
{
    public required Initiative Source { get; init; }

    /// <summary>Title, description, status, sizes, dates and scoring inputs, bound directly by the panel.</summary>
    public required Initiative Draft { get; init; }

    /// <summary>People per team, one entry for every team of the workspace in its order; empty or 0: not needed.</summary>
    public List<TeamPeople> Demand { get; init; } = [];

    public List<DependencyChoice> Dependencies { get; init; } = [];
    public HashSet<string> Objectives { get; init; } = new(StringComparer.Ordinal);

    public static InitiativeForm From(Initiative item, Workspace workspace) => new()
    {
        Source = item.Clone(),
        Draft = item.Clone(),
        Demand = [.. workspace.Teams.Select(t => new TeamPeople(t.Key, t.Name) { People = item.Demand.FirstOrDefault(d => d.TeamKey == t.Key)?.People })],
        Dependencies = [.. item.Dependencies.Select(d => new DependencyChoice { PredecessorKey = d.PredecessorKey, LagWeeks = d.LagWeeks })],
        Objectives = new HashSet<string>(item.ObjectiveKeys, StringComparer.Ordinal),
    };

    /// <summary>The edited initiative (identity and version as opened). Demand and objective links it already had keep
    /// their order, so an unchanged initiative saves exactly as it was; new ones follow in the workspace's order.</summary>
    public Initiative ToInitiative(Workspace workspace)
    {
        var result = Draft.Clone();
        result.Title = (Draft.Title ?? "").Trim(); // a cleared box binds as null
        result.Description = (Draft.Description ?? "").Trim();
        result.Demand = [.. Demand.Where(d => d.People is not (null or 0))
            .OrderBy(d => Source.Demand.FindIndex(x => x.TeamKey == d.TeamKey) is var at and >= 0 ? at : int.MaxValue)
            .Select(d => new TeamDemand(d.TeamKey, d.People!.Value))];
        result.Dependencies = [.. Dependencies.Where(d => d.PredecessorKey.Length > 0).Select(d => new Dependency(d.PredecessorKey, d.LagWeeks ?? 0))];
        result.ObjectiveKeys = [.. Source.ObjectiveKeys.Where(Objectives.Contains), .. workspace.Objectives.Select(o => o.Key).Where(k => Objectives.Contains(k) && !Source.ObjectiveKeys.Contains(k))];
        return result;
    }

    /// <summary>What the roadmap validator (the same one the grid, the import and the save use) says about the roadmap
    /// with this edit in it. The saved roadmap is valid, so every problem comes from the edit.</summary>
    public IReadOnlyList<RoadmapProblem> Validate(Workspace workspace)
    {
        var candidate = workspace.Clone();
        candidate.FindInitiative(Source.Key)?.CopyEditableFrom(ToInitiative(workspace));
        return RoadmapValidator.Validate(candidate);
    }
}
