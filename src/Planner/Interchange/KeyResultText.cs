using System.Globalization;
using Planner.Roadmaps;

namespace Planner.Interchange;

/// <summary>A key result in one line of text, the same in every export: "Median close time: 7 days (from 9 to 5, 50%)".</summary>
public static class KeyResultText
{
    public static string Describe(KeyResult keyResult)
    {
        if (!keyResult.IsMeasured) return keyResult.Text;
        var unit = keyResult.Unit.Length == 0 ? "" : keyResult.Unit == "%" ? "%" : " " + keyResult.Unit;
        var current = Number(keyResult.Current ?? keyResult.Start!.Value);
        var progress = keyResult.Progress is { } p ? $", {Percent(p)}" : "";
        return $"{keyResult.Text}: {current}{unit} (from {Number(keyResult.Start!.Value)} to {Number(keyResult.Target!.Value)}{progress})";
    }

    /// <summary>A share 0..1 as a whole percentage, "50%".</summary>
    public static string Percent(double share) => Math.Round(share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
