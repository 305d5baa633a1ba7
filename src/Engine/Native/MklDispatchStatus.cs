namespace Planner.Engine.Native;

/// <summary>The outcome of <see cref="MklDispatch.Apply"/> and a sentence saying why, for logs and the CLI.</summary>
public sealed record MklDispatchStatus(MklDispatchOutcome Outcome, string Description);
