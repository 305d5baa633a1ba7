using System.Diagnostics;
using System.Globalization;
using Planner.Engine.Data;
using Planner.Engine.Evaluation;

namespace Planner.Bench;

/// <summary>How good the Label page's suggestions are after the founder's first few labels: for a labelled CSV, the
/// founder is simulated labelling the texts in a random order; after n labels, a classifier trained on them suggests a
/// label for every text not labelled yet, and the share of suggestions that are right is measured — for the baseline
/// (TF-IDF, linear) and the pretrained encoder with a linear model, side by side on the same orders.</summary>
public static class SuggestionBench
{
    public static int Run(string[] args)
    {
        string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var file = Arg("--data", Path.Combine(MatchPrecisionBench.FindRoot(), "data", "sample", "reviews.csv"));
        var column = Arg("--label-column", "category");
        var orders = int.Parse(Arg("--orders", "10"), CultureInfo.InvariantCulture);
        var rows = ThemesBench.Csv(file).Where(r => r.TryGetValue(column, out var l) && l.Length > 0).Select(r => new LabelledExample(r["text"], r[column])).ToList();
        Console.WriteLine($"{Path.GetFileName(file)}: {rows.Count} texts, '{column}'; {orders} random labelling orders; share of right suggestions for the texts not labelled yet");
        Console.WriteLine($"{"labels given",12} {"baseline",9} {"encoder",9} {"encoder s",10}");
        foreach (var n in new[] { 10, 20, 30, 50, 100 })
        {
            if (n >= rows.Count) break;
            var (baseline, encoder, seconds, counted) = (0.0, 0.0, 0.0, 0);
            for (var order = 1; order <= orders; order++)
            {
                var random = new Random(order);
                var shuffled = rows.OrderBy(_ => random.Next()).ToList();
                var given = shuffled.Take(n).ToList();
                var rest = shuffled.Skip(n).ToList();
                var labels = given.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                if (labels.Count < 2) continue; // the page makes no suggestions yet
                double Right(IReadOnlyList<ClassifierPrediction> p) => rest.Select((e, i) => e.Label == p[i].Label ? 1.0 : 0).Average();
                baseline += Right(BaselineClassifier.Train(given, labels, order).Predict([.. rest.Select(e => e.Text)]));
                var clock = Stopwatch.StartNew();
                encoder += Right(EncoderClassifier.Train(given, labels, order).Predict([.. rest.Select(e => e.Text)]));
                seconds += clock.Elapsed.TotalSeconds;
                counted++;
            }
            Console.WriteLine($"{n,12} {baseline / counted,9:0.000} {encoder / counted,9:0.000} {seconds / counted,10:0.0}");
        }
        return 0;
    }
}
