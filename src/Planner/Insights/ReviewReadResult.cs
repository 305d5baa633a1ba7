namespace Planner.Insights;

/// <summary>Reviews read from a file, or why none could be (one sentence for the founder).</summary>
public sealed record ReviewReadResult(IReadOnlyList<Review> Reviews, string? Error)
{
    public bool Ok => Error is null;

    public static ReviewReadResult Failed(string error) => new([], error);
}
