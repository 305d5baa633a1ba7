using System.Globalization;
using Planner.Hosting.Evidence;
using Planner.Insights;
using Planner.Interchange;
using Planner.Roadmaps;

namespace Planner.Bench;

/// <summary>How much the founder's decisions improve review matching, on the sample: every (initiative, review) pair
/// the matcher proposes is judged relevant or not in a judgements file kept in the repository. For each of several
/// random halvings of the reviews, the founder "decides" the matches of one half (confirms the relevant, rejects the
/// others); the matcher runs again with those decisions, and precision is measured on the other half's matches —
/// reviews no decision touched — before and after. Pairs the matcher proposes that are not judged yet are printed
/// for judging, and the figures are not printed until every pair is judged.</summary>
public static class MatchPrecisionBench
{
    public static int Run(string[] args)
    {
        var root = FindRoot();
        string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var judgementsFile = Arg("--judgements", Path.Combine(root, "tests", "Planner.Tests", "Insights", "ReviewMatchJudgements.tsv"));
        var splits = int.Parse(Arg("--splits", "20"), CultureInfo.InvariantCulture);
        double Number(string name, double fallback) => double.Parse(Arg(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var settings = EvidenceSettings.Default with
        {
            ConfirmedTermBoost = Number("--boost", EvidenceSettings.Default.ConfirmedTermBoost),
            LearnedTermWeight = Number("--learned", EvidenceSettings.Default.LearnedTermWeight),
            RejectedTermWeight = Number("--rejected", EvidenceSettings.Default.RejectedTermWeight),
            MinMeaningSimilarity = Number("--similarity", EvidenceSettings.Default.MinMeaningSimilarity),
        };
        // --meaning: matches checked by meaning (the pretrained sentence encoder), as the app and the CLI match.
        var meaning = args.Contains("--meaning") ? EncoderTextMeaning.Instance : null;

        var workspace = RoadmapJson.Read(File.ReadAllBytes(Path.Combine(root, "data", "sample", "roadmap.json"))).Workspace!;
        var reviews = ReviewCsv.Read(File.ReadAllBytes(Path.Combine(root, "data", "sample", "reviews.csv")), "reviews.csv").Reviews;
        var judged = File.Exists(judgementsFile)
            ? File.ReadAllLines(judgementsFile).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t'))
                .ToDictionary(p => (p[0], p[1]), p => p[2] == "1")
            : [];
        var initiatives = workspace.Initiatives.Where(i => i.Status != InitiativeStatus.Dropped).ToList();
        var before = ReviewMatcher.Match(initiatives, reviews, settings, meaning: meaning);

        var unjudged = new SortedSet<(string, string)>();
        var rows = new List<(double Before, double After, int BeforeRelevant, int AfterRelevant, int BeforeCount, int AfterCount, double SeenBefore, double SeenAfter)>();
        for (var seed = 1; seed <= splits; seed++)
        {
            var random = new Random(seed);
            var seen = reviews.Select(r => r.Id).OrderBy(_ => random.Next()).Take(reviews.Count / 2).ToHashSet(StringComparer.Ordinal);
            var confirmed = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var rejected = new HashSet<(string, string)>();
            foreach (var m in before.Where(m => seen.Contains(reviews[m.ReviewIndex].Id)))
            {
                if (!judged.TryGetValue((m.InitiativeKey, reviews[m.ReviewIndex].Id), out var relevant)) { unjudged.Add((m.InitiativeKey, reviews[m.ReviewIndex].Id)); continue; }
                if (relevant) (confirmed.TryGetValue(m.InitiativeKey, out var list) ? list : confirmed[m.InitiativeKey] = []).Add(reviews[m.ReviewIndex].Text);
                else rejected.Add((m.InitiativeKey, reviews[m.ReviewIndex].Id));
            }
            var feedback = new MatchFeedback(confirmed.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal), rejected);
            var after = ReviewMatcher.Match(initiatives, reviews, settings, feedback, meaning);

            (double Precision, int Relevant, int Count) Score(IEnumerable<ReviewMatch> matches)
            {
                var pairs = matches.Select(m => (m.InitiativeKey, reviews[m.ReviewIndex].Id)).ToList();
                foreach (var p in pairs.Where(p => !judged.ContainsKey(p))) unjudged.Add(p);
                var relevant = pairs.Count(p => judged.GetValueOrDefault(p));
                return (pairs.Count == 0 ? 0 : (double)relevant / pairs.Count, relevant, pairs.Count);
            }
            var heldBefore = Score(before.Where(m => !seen.Contains(reviews[m.ReviewIndex].Id)));
            var heldAfter = Score(after.Where(m => !seen.Contains(reviews[m.ReviewIndex].Id)));
            var seenBefore = Score(before.Where(m => seen.Contains(reviews[m.ReviewIndex].Id)));
            var seenAfter = Score(after.Where(m => seen.Contains(reviews[m.ReviewIndex].Id)));
            rows.Add((heldBefore.Precision, heldAfter.Precision, heldBefore.Relevant, heldAfter.Relevant, heldBefore.Count, heldAfter.Count, seenBefore.Precision, seenAfter.Precision));
        }

        if (unjudged.Count > 0)
        {
            Console.WriteLine($"# {unjudged.Count} pairs to judge (initiative, review id, 1 = the review is about the initiative, 0 = not):");
            var titles = initiatives.ToDictionary(i => i.Key, i => i.Title, StringComparer.Ordinal);
            var texts = reviews.ToDictionary(r => r.Id, r => r.Text, StringComparer.Ordinal);
            foreach (var (key, id) in unjudged) Console.WriteLine($"{key}\t{id}\t?\t{titles[key]}\t{texts[id]}");
            return 1;
        }

        if (meaning is not null) MeaningSweep(initiatives, reviews, judged, splits);
        var all = Score0(before, judged, reviews);
        Console.WriteLine($"Sample: {initiatives.Count} initiatives, {reviews.Count} reviews; {before.Count} matches with no decisions, precision {all:0.000}; {judged.Count} pairs judged.");
        if (meaning is not null) Console.WriteLine($"Matches checked by meaning: cosine similarity at least {settings.MinMeaningSimilarity} ({meaning.Description}).");
        Console.WriteLine($"Learning: confirmed terms ×{settings.ConfirmedTermBoost}, rejected-only terms ×{settings.RejectedTermWeight}, new terms shared by two confirmed texts at {settings.LearnedTermWeight}.");
        Console.WriteLine($"{splits} random halvings of the reviews: the founder decides the matches of one half, precision is measured on the other half's matches.");
        Console.WriteLine($"held-out precision before {rows.Average(r => r.Before):0.000} (sd {Sd(rows.Select(r => r.Before)):0.000}), after {rows.Average(r => r.After):0.000} (sd {Sd(rows.Select(r => r.After)):0.000}); " +
                          $"after − before {rows.Average(r => r.After - r.Before):+0.000;-0.000} (better in {rows.Count(r => r.After > r.Before)}, equal in {rows.Count(r => r.After == r.Before)}, worse in {rows.Count(r => r.After < r.Before)} of {rows.Count})");
        Console.WriteLine($"held-out matches before {rows.Average(r => r.BeforeCount):0.0} ({rows.Average(r => r.BeforeRelevant):0.0} relevant), after {rows.Average(r => r.AfterCount):0.0} ({rows.Average(r => r.AfterRelevant):0.0} relevant)");
        Console.WriteLine($"decided half's precision before {rows.Average(r => r.SeenBefore):0.000}, after {rows.Average(r => r.SeenAfter):0.000} (rejected pairs never return)");
        return 0;
    }

    /// <summary>The matches with no decisions, kept when their review and initiative are at least a similarity alike in
    /// meaning: each threshold over all reviews; then the threshold chosen on one half of the reviews (the one with the
    /// highest F1 there, recall counted against the relevant matches words alone find) and measured on the other half,
    /// over the same halvings as the decisions. Only removes matches, so every pair is judged.</summary>
    private static void MeaningSweep(IReadOnlyList<Initiative> initiatives, IReadOnlyList<Review> reviews, Dictionary<(string, string), bool> judged, int splits)
    {
        var words = ReviewMatcher.Match(initiatives, reviews, EvidenceSettings.Default with { MinMeaningSimilarity = double.NegativeInfinity }, meaning: EncoderTextMeaning.Instance);
        bool Relevant(ReviewMatch m) => judged.GetValueOrDefault((m.InitiativeKey, reviews[m.ReviewIndex].Id));
        double[] thresholds = [double.NegativeInfinity, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5];
        static string Name(double t) => double.IsNegativeInfinity(t) ? "none" : t.ToString("0.00", CultureInfo.InvariantCulture);
        Console.WriteLine($"By meaning, no decisions: {words.Count} matches by words, {words.Count(Relevant)} relevant (precision {(double)words.Count(Relevant) / words.Count:0.000}).");
        Console.WriteLine("  similarity at least   matches   relevant   precision   recall (of the relevant matches words find)");
        foreach (var t in thresholds)
        {
            var kept = words.Where(m => m.Similarity >= t).ToList();
            Console.WriteLine($"  {Name(t),-19} {kept.Count,9} {kept.Count(Relevant),10} {(double)kept.Count(Relevant) / kept.Count,11:0.000} {(double)kept.Count(Relevant) / words.Count(Relevant),8:0.000}");
        }
        var rows = new List<(double Threshold, double Precision, double Recall, double WordsPrecision)>();
        for (var seed = 1; seed <= splits; seed++)
        {
            var random = new Random(seed);
            var seen = reviews.Select(r => r.Id).OrderBy(_ => random.Next()).Take(reviews.Count / 2).ToHashSet(StringComparer.Ordinal);
            var (tuning, held) = (words.Where(m => seen.Contains(reviews[m.ReviewIndex].Id)).ToList(), words.Where(m => !seen.Contains(reviews[m.ReviewIndex].Id)).ToList());
            double F1(List<ReviewMatch> pool, double t)
            {
                var kept = pool.Where(m => m.Similarity >= t).ToList();
                var (relevant, all) = (kept.Count(Relevant), pool.Count(Relevant));
                return relevant == 0 ? 0 : 2.0 * relevant / (kept.Count + all);
            }
            var chosen = thresholds.MaxBy(t => F1(tuning, t));
            var keptHeld = held.Where(m => m.Similarity >= chosen).ToList();
            rows.Add((chosen, (double)keptHeld.Count(Relevant) / Math.Max(1, keptHeld.Count), (double)keptHeld.Count(Relevant) / Math.Max(1, held.Count(Relevant)),
                (double)held.Count(Relevant) / Math.Max(1, held.Count)));
        }
        Console.WriteLine($"  chosen on one half, measured on the other ({splits} halvings): thresholds {string.Join(" ", rows.Select(r => Name(r.Threshold)))}");
        Console.WriteLine($"  precision {rows.Average(r => r.WordsPrecision):0.000} by words alone → {rows.Average(r => r.Precision):0.000} (sd {Sd(rows.Select(r => r.Precision)):0.000}), " +
                          $"better in {rows.Count(r => r.Precision > r.WordsPrecision)} of {rows.Count}; recall {rows.Average(r => r.Recall):0.000}");
    }

    private static double Score0(IReadOnlyList<ReviewMatch> matches, Dictionary<(string, string), bool> judged, IReadOnlyList<Review> reviews) =>
        matches.Count == 0 ? 0 : (double)matches.Count(m => judged.GetValueOrDefault((m.InitiativeKey, reviews[m.ReviewIndex].Id))) / matches.Count;

    private static double Sd(IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, list.Count - 1));
    }

    internal static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Planner.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run from inside the repository.");
    }
}
