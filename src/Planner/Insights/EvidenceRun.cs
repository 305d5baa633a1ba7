using Planner.Roadmaps;

namespace Planner.Insights;

/// <summary>The outcome of one evidence run: how many reviews were read and matched, by which classifier, the evidence
/// per initiative (null: no review matched), the initiatives whose evidence from another source was kept, and the
/// changes against the roadmap's evidence before the run.</summary>
public sealed record EvidenceRun(
    int Reviews,
    int MatchedReviews,
    string Classifier,
    IReadOnlyDictionary<string, Evidence?> Evidence,
    IReadOnlyList<string> KeptFromOtherSources,
    IReadOnlyList<EvidenceChange> Changes)
{
    /// <summary>A copy of <paramref name="workspace"/> carrying this run's evidence.</summary>
    public Workspace ApplyTo(Workspace workspace)
    {
        var copy = workspace.Clone();
        foreach (var initiative in copy.Initiatives)
            if (Evidence.TryGetValue(initiative.Key, out var evidence)) initiative.Evidence = evidence;
        return copy;
    }
}
