namespace Planner.Roadmaps;

/// <summary>A key result of an objective: what is measured and, when it is measurable, where it started, where it
/// stands and where it should get to (in <paramref name="Unit"/>). A key result without numbers is plain text and
/// counts for nothing in the objective's progress.</summary>
/// <param name="Text">What the key result says, e.g. "Median close time".</param>
/// <param name="Unit">The unit of the numbers, e.g. "days", "%", "customers"; empty when none.</param>
/// <param name="Start">The value when the objective was set.</param>
/// <param name="Current">The value now; null means no change from <paramref name="Start"/> yet.</param>
/// <param name="Target">The value that means done.</param>
public sealed record KeyResult(string Text, string Unit = "", double? Start = null, double? Current = null, double? Target = null)
{
    /// <summary>Start and target are both given: the key result has a progress.</summary>
    public bool IsMeasured => Start is not null && Target is not null;

    /// <summary>How far from start to target the current value has come, 0 to 1 (a target below the start counts
    /// downwards); null when the key result is not measured or start and target are equal.</summary>
    public double? Progress
    {
        get
        {
            if (Start is not { } start || Target is not { } target || start == target) return null;
            var current = Current ?? start;
            return Math.Clamp((current - start) / (target - start), 0, 1);
        }
    }
}
