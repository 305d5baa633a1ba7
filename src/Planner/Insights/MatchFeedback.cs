using Planner.Roadmaps;

namespace Planner.Insights;

/// <summary>What the matcher learns from the founder's decisions: the texts confirmed or linked for each initiative
/// (their vocabulary weighs more for it) and the rejected (initiative, review id) pairs (never matched again).</summary>
public sealed record MatchFeedback(IReadOnlyDictionary<string, IReadOnlyList<string>> ConfirmedTexts, IReadOnlySet<(string InitiativeKey, string ReviewId)> Rejected)
{
    public static readonly MatchFeedback None = new(new Dictionary<string, IReadOnlyList<string>>(), new HashSet<(string, string)>());

    public static MatchFeedback From(IEnumerable<EvidenceLink> links)
    {
        var list = links.ToList();
        return new MatchFeedback(
            list.Where(l => l.Decision != EvidenceDecision.Rejected).GroupBy(l => l.InitiativeKey, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(l => l.Text)], StringComparer.Ordinal),
            list.Where(l => l.Decision == EvidenceDecision.Rejected).Select(l => (l.InitiativeKey, l.ReviewId)).ToHashSet());
    }
}
