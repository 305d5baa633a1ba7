using System.Globalization;

namespace Planner.Engine.Evaluation;

/// <summary>A difference between two models measured on the same items (first minus second), with its paired-bootstrap
/// confidence interval.</summary>
public sealed record BootstrapInterval(double Difference, double Low, double High, double Level, int Resamples)
{
    /// <summary>True when the whole interval lies on one side of zero: the difference is unlikely to be chance.</summary>
    public bool ExcludesZero => Low > 0 || High < 0;

    /// <summary>"+0.05 (95% CI −0.07 to +0.17)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Difference:+0.000;-0.000;0.000} ({Level * 100:0}% CI {Low:+0.000;-0.000;0.000} to {High:+0.000;-0.000;0.000})");
}
