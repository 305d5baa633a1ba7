namespace Planner.Persistence;

/// <summary>What replacing a roadmap did: created a new workspace, or replaced one and kept its previous state — or,
/// when the roadmap changed after the copy the new one was made from, nothing (<see cref="Conflict"/> says so).</summary>
public sealed record ReplaceOutcome(bool Created, string? KeptVersion, string? Conflict = null)
{
    public bool Ok => Conflict is null;
}
