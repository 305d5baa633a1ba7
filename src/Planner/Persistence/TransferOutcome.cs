using Planner.Interchange;

namespace Planner.Persistence;

/// <summary>What an import did, in words for the founder, with every problem when it did nothing.</summary>
public sealed record TransferOutcome(bool Ok, string Summary, IReadOnlyList<ImportProblem> Problems)
{
    public static TransferOutcome Failed(string reason) => new(false, reason, []);
}
