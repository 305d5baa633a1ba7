using System.Diagnostics;
using System.Globalization;
using Planner.Engine.Evaluation;

namespace Planner.Bench;

/// <summary>How well each text representation groups texts into themes, measured against labels the grouping never
/// saw: for a labelled CSV, the themes found in the pretrained sentence encoder's embeddings and in the texts' own
/// terms (latent semantic analysis), side by side, with as many themes as labels and with the number chosen from the
/// data. Purity (the share of texts in their theme's most common label), normalised mutual information and the
/// adjusted Rand index (0 for chance, 1 for the labels exactly), averaged over k-means seeds.</summary>
public static class ThemesBench
{
    public static int Run(string[] args)
    {
        string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var file = Arg("--data", Path.Combine(MatchPrecisionBench.FindRoot(), "data", "sample", "reviews.csv"));
        var column = Arg("--label-column", "category");
        var seeds = int.Parse(Arg("--seeds", "5"), CultureInfo.InvariantCulture);
        var table = Csv(file);
        var labelled = table.Where(r => r.TryGetValue(column, out var l) && l.Length > 0).ToList();
        if (labelled.Count == 0) { Console.Error.WriteLine($"{file} has no '{column}' labels."); return 1; }
        var texts = labelled.Select(r => r["text"]).ToList();
        var labels = labelled.Select(r => r[column]).ToList();
        var classes = labels.Distinct(StringComparer.Ordinal).Count();
        Console.WriteLine($"{Path.GetFileName(file)}: {texts.Count} texts, {classes} '{column}' labels; {seeds} k-means seeds each");
        Console.WriteLine($"{"space",-8} {"themes",-16} {"purity",7} {"NMI",7} {"ARI",7} {"seconds",8}");
        foreach (var space in new[] { ThemeSpace.Terms, ThemeSpace.Encoder })
        foreach (var count in new int?[] { classes, null })
        {
            var scores = new List<(double Purity, double Nmi, double Ari, int Themes)>();
            var clock = Stopwatch.StartNew();
            for (var seed = 1; seed <= seeds; seed++)
            {
                var found = TextThemes.Find(texts, count, seed, space);
                scores.Add((Purity(found.ThemeOfText, labels), Nmi(found.ThemeOfText, labels), Ari(found.ThemeOfText, labels), found.Themes.Count));
            }
            var how = count is null ? $"chosen ({string.Join("/", scores.Select(s => s.Themes).Distinct())})" : $"{count} (as labels)";
            Console.WriteLine($"{space.ToString().ToLowerInvariant(),-8} {how,-16} {scores.Average(s => s.Purity),7:0.000} {scores.Average(s => s.Nmi),7:0.000} {scores.Average(s => s.Ari),7:0.000} {clock.Elapsed.TotalSeconds / seeds,8:0.0}");
        }
        return 0;
    }

    private static double Purity(IReadOnlyList<int> themes, List<string> labels) =>
        themes.Select((t, i) => (t, l: labels[i])).GroupBy(x => x.t).Sum(g => g.GroupBy(x => x.l).Max(h => h.Count())) / (double)labels.Count;

    private static double Nmi(IReadOnlyList<int> themes, List<string> labels)
    {
        double n = labels.Count;
        double Entropy(IEnumerable<int> counts) => -counts.Sum(c => c / n * Math.Log(c / n));
        var ht = Entropy(themes.GroupBy(t => t).Select(g => g.Count()));
        var hl = Entropy(labels.GroupBy(l => l).Select(g => g.Count()));
        var joint = themes.Select((t, i) => (t, l: labels[i])).GroupBy(x => x).Select(g => g.Count());
        var mutual = ht + hl - Entropy(joint);
        return ht + hl == 0 ? 0 : 2 * mutual / (ht + hl);
    }

    private static double Ari(IReadOnlyList<int> themes, List<string> labels)
    {
        static double Pairs(double c) => c * (c - 1) / 2;
        var cells = themes.Select((t, i) => (t, l: labels[i])).GroupBy(x => x).Sum(g => Pairs(g.Count()));
        var rows = themes.GroupBy(t => t).Sum(g => Pairs(g.Count()));
        var columns = labels.GroupBy(l => l).Sum(g => Pairs(g.Count()));
        var expected = rows * columns / Pairs(labels.Count);
        var most = (rows + columns) / 2;
        return most == expected ? 0 : (cells - expected) / (most - expected);
    }

    /// <summary>The CSV's rows as column → value (a quoted field may hold commas, quotes and line breaks).</summary>
    internal static List<Dictionary<string, string>> Csv(string file)
    {
        using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(file) { TextFieldType = Microsoft.VisualBasic.FileIO.FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var header = parser.ReadFields() ?? [];
        var rows = new List<Dictionary<string, string>>();
        while (!parser.EndOfData)
        {
            var fields = parser.ReadFields() ?? [];
            rows.Add(header.Select((h, i) => (h, v: i < fields.Length ? fields[i] : "")).ToDictionary(x => x.h, x => x.v, StringComparer.Ordinal));
        }
        return rows;
    }
}
