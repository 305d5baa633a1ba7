namespace Planner.Roadmaps;

/// <summary>How far an objective has come, from two sources: its measured key results (each 0 to 1, from start to
/// target) and the initiatives that serve it (done 1, in progress ½, otherwise 0; dropped ones left out).
/// <see cref="Overall"/> is the mean of the two parts that exist; every part is null when nothing measures it.</summary>
public sealed record ObjectiveProgress(
    string ObjectiveKey,
    double? KeyResults,
    int MeasuredKeyResults,
    double? Initiatives,
    int DoneInitiatives,
    int LinkedInitiatives)
{
    /// <summary>The credit an in-progress initiative earns: it has started, it has not delivered.</summary>
    public const double InProgressCredit = 0.5;

    public double? Overall => (KeyResults, Initiatives) switch
    {
        ({ } k, { } i) => (k + i) / 2,
        ({ } k, null) => k,
        (null, { } i) => i,
        _ => null,
    };

    /// <summary>The progress of one objective of the workspace.</summary>
    public static ObjectiveProgress Of(Objective objective, IEnumerable<Initiative> initiatives)
    {
        var measured = objective.KeyResults.Select(k => k.Progress).OfType<double>().ToList();
        var linked = initiatives
            .Where(i => i.Status != InitiativeStatus.Dropped && i.ObjectiveKeys.Contains(objective.Key, StringComparer.Ordinal))
            .ToList();
        var credit = linked.Select(i => i.Status switch
        {
            InitiativeStatus.Done => 1.0,
            InitiativeStatus.InProgress => InProgressCredit,
            _ => 0.0,
        }).ToList();
        return new ObjectiveProgress(
            objective.Key,
            measured.Count == 0 ? null : measured.Average(),
            measured.Count,
            credit.Count == 0 ? null : credit.Average(),
            linked.Count(i => i.Status == InitiativeStatus.Done),
            linked.Count);
    }

    /// <summary>The progress of every objective of the workspace, in the workspace's order.</summary>
    public static IReadOnlyList<ObjectiveProgress> For(Workspace workspace) =>
        [.. workspace.Objectives.Select(o => Of(o, workspace.Initiatives))];
}
