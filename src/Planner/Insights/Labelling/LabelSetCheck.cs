using System.Globalization;

namespace Planner.Insights.Labelling;

/// <summary>Whether a set of labels can teach a classifier: at least two classes, each with at least two examples (one
/// for training and one to check it on) — else nothing is trained — and warnings for classes that are probably one
/// class spelt two ways (case, spacing, punctuation, a one-letter typo).</summary>
public static class LabelSetCheck
{
    /// <summary>Why a classifier cannot be trained on these labels, or null when it can.</summary>
    public static string? Problem(IEnumerable<string> labels)
    {
        var counts = Counts(labels);
        if (counts.Count == 0) return "No review is labelled yet: label some reviews first.";
        if (counts.Count == 1) return $"Every labelled review has the label '{counts[0].Label}': a classifier needs at least two classes. Label some reviews with another class.";
        var single = counts.Where(c => c.Count == 1).Select(c => $"'{c.Label}'").ToList();
        return single.Count == 0 ? null
            : $"{Join(single)} {(single.Count == 1 ? "has" : "have")} only one example: a classifier needs at least two of each class (one to learn from, one to check). Label more, or relabel {(single.Count == 1 ? "it" : "them")}.";
    }

    /// <summary>Pairs of classes that look like one class spelt two ways, as sentences.</summary>
    public static IReadOnlyList<string> NearDuplicates(IEnumerable<string> labels)
    {
        var classes = Counts(labels).Select(c => c.Label).ToList();
        var warnings = new List<string>();
        for (var i = 0; i < classes.Count; i++)
            for (var j = i + 1; j < classes.Count; j++)
                if (Similar(classes[i], classes[j]))
                    warnings.Add($"'{classes[i]}' and '{classes[j]}' look like one class spelt two ways (near-duplicate classes); relabel one of them if they are.");
        return warnings;
    }

    private static List<(string Label, int Count)> Counts(IEnumerable<string> labels) =>
        [.. labels.Select(l => l.Trim()).Where(l => l.Length > 0).GroupBy(l => l, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count())).OrderBy(c => c.Key, StringComparer.Ordinal)];

    private static bool Similar(string a, string b)
    {
        var (x, y) = (Normal(a), Normal(b));
        if (x == y) return true;
        var shorter = Math.Min(x.Length, y.Length);
        // One edit apart (a typo) for words of four letters or more; two for long ones. Short labels (e.g. "ok", "no")
        // differ legitimately by one letter.
        return shorter >= 4 && Distance(x, y) <= (shorter >= 10 ? 2 : 1);
    }

    private static string Normal(string label) =>
        new([.. label.ToLower(CultureInfo.InvariantCulture).Where(char.IsLetterOrDigit)]);

    /// <summary>Edit distance with adjacent transpositions (optimal string alignment).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }

    private static string Join(List<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items[..^1]) + " and " + items[^1];
}
