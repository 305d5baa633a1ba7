namespace Planner.Llm;

/// <summary>What Planner measured about one model file on this machine: the tool-call check's result and the decode
/// speed seen when the model last generated. Kept per file identity (<see cref="ModelRecords.Identity"/>), so a
/// replaced file is checked again.</summary>
public sealed record ModelRecord
{
    /// <summary>Tool-call probes answered correctly, of <see cref="ToolCallsTotal"/> asked (the check stops once a model
    /// can no longer pass); null before the check ran.</summary>
    public int? ToolCallsPassed { get; init; }
    public int? ToolCallsTotal { get; init; }

    /// <summary>Whether the check judged the model able to call the planner's tools.</summary>
    public bool? CallsTools { get; init; }

    /// <summary>The probes it got wrong, each with what it answered.</summary>
    public IReadOnlyList<string> ToolCallFailures { get; init; } = [];

    public DateTimeOffset? CheckedAt { get; init; }

    /// <summary>Decode speed of the model's latest generation of a few tokens or more, on this machine.</summary>
    public double? TokensPerSecond { get; init; }
    public DateTimeOffset? MeasuredAt { get; init; }
}
