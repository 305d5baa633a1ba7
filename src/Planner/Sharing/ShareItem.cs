using Planner.Roadmaps;

namespace Planner.Sharing;

/// <summary>One initiative of the shared plan, with its computed dates (<paramref name="Finish"/> is the last day of
/// the work; a milestone starts and finishes on the same day) and its tags.</summary>
public sealed record ShareItem(
    string Key,
    string Title,
    InitiativeStatus Status,
    DateOnly Start,
    DateOnly Finish,
    bool IsMilestone,
    DateOnly? Deadline,
    bool MissesDeadline,
    ShareHorizon Horizon)
{
    public IReadOnlyList<string> Tags { get; init; } = [];
}
