namespace Planner.Persistence;

/// <summary>What replacing a roadmap did: created a new workspace, or replaced one and kept its previous state.</summary>
public sealed record ReplaceOutcome(bool Created, string? KeptVersion);
