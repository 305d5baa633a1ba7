using System.Globalization;

namespace Planner.Interchange;

/// <summary>Tracker estimates: units and their default factor to weeks, and the forms estimates are written in.</summary>
internal static class TrackerEstimate
{
    /// <summary>Default weeks per unit: a story point is an ideal day, a week has 5 days of 8 hours.</summary>
    public static double? UnitWeeks(string? unit) => unit?.Trim().ToLowerInvariant() switch
    {
        "points" or "point" or "story points" => 0.2,
        "hours" or "hour" => 1.0 / 40,
        "days" or "day" => 1.0 / 5,
        "weeks" or "week" => 1,
        "seconds" or "second" => 1.0 / (40 * 3600),
        _ => null,
    };

    /// <summary>An estimate as trackers write it: "3", "0.5", "1/2", "½", "2,5"; null with the reason otherwise.</summary>
    public static double? Parse(string text, out string? problem)
    {
        problem = null;
        var t = text.Trim();
        if (t == "½") return 0.5;
        var slash = t.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && Number(t[..slash]) is { } top && Number(t[(slash + 1)..]) is { } bottom && bottom > 0)
            return top / bottom;
        if (slash < 0 && Number(t) is { } value && value >= 0) return value;
        problem = $"'{text}' is not an estimate";
        return null;
    }

    private static double? Number(string text)
    {
        var t = text.Trim();
        if (t.Count(c => c == ',') == 1 && !t.Contains('.', StringComparison.Ordinal)) t = t.Replace(',', '.');
        return double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
    }

    /// <summary>Whole weeks for a roadmap: rounded up, at least one (zero weeks would make a milestone of it).</summary>
    public static int Weeks(double weeks) => Math.Max(1, (int)Math.Min(int.MaxValue, Math.Ceiling(weeks - 1e-9)));
}
