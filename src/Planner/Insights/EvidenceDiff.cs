using Planner.Roadmaps;

namespace Planner.Insights;

/// <summary>What re-running the evidence changes: one <see cref="EvidenceChange"/> per initiative whose evidence is
/// different, in roadmap order; initiatives whose evidence stays the same are not listed.</summary>
public static class EvidenceDiff
{
    public static IReadOnlyList<EvidenceChange> Compare(Workspace before, IReadOnlyDictionary<string, Evidence?> after) =>
        [.. before.Initiatives
            .Where(i => after.ContainsKey(i.Key))
            .Select(i => new EvidenceChange(i.Key, i.Title, i.Evidence, after[i.Key]))
            .Where(c => c.Before is null ? c.After is not null : !c.Before.SameAs(c.After))];
}
