namespace Planner.Engine.Bench;

/// <summary>What the bench reports of a measurement repeated in rounds.</summary>
public static class Rounds
{
    /// <summary>The middle value (the mean of the two middle ones for an even count): one disturbed round does not move it.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No values to take the median of.", nameof(values));
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
