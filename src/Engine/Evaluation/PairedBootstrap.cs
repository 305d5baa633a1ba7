using Planner.Engine.Data;

namespace Planner.Engine.Evaluation;

/// <summary>Paired bootstrap over held-out items: both models' predictions on the same resampled items, so the interval
/// reflects how much the difference depends on which items happened to be held out. Seeded, so a report is
/// reproducible.</summary>
public static class PairedBootstrap
{
    public const int DefaultResamples = 2000;

    /// <summary>The difference <paramref name="metric"/>(first) − <paramref name="metric"/>(second) and its percentile interval.</summary>
    public static BootstrapInterval Difference(IReadOnlyList<int> actual, IReadOnlyList<int> first, IReadOnlyList<int> second,
        IReadOnlyList<string> labels, Func<ClassificationReport, double> metric, int seed, int resamples = DefaultResamples, double level = 0.95)
    {
        if (actual.Count != first.Count || actual.Count != second.Count) throw new ArgumentException("Both models need a prediction for every item.");
        if (actual.Count == 0) throw new ArgumentException("A comparison needs at least one held-out item.", nameof(actual));
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        double Of(IReadOnlyList<int> a, IReadOnlyList<int> p) => metric(ClassificationReport.Compute(a, p, labels));

        var random = DeterministicRandom.For(seed, 0xB0075);
        var n = actual.Count;
        var differences = new double[resamples];
        int[] a = new int[n], x = new int[n], y = new int[n];
        for (var b = 0; b < resamples; b++)
        {
            for (var i = 0; i < n; i++)
            {
                var pick = random.Next(n);
                (a[i], x[i], y[i]) = (actual[pick], first[pick], second[pick]);
            }
            differences[b] = Of(a, x) - Of(a, y);
        }
        Array.Sort(differences);
        var tail = (1 - level) / 2;
        var low = differences[Math.Clamp((int)Math.Floor(tail * resamples), 0, resamples - 1)];
        var high = differences[Math.Clamp((int)Math.Ceiling((1 - tail) * resamples) - 1, 0, resamples - 1)];
        return new BootstrapInterval(Of(actual, first) - Of(actual, second), low, high, level, resamples);
    }
}
