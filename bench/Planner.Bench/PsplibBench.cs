using System.Diagnostics;
using System.Globalization;
using Planner.Interchange;
using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Bench;

/// <summary>The field's benchmark: PSPLIB single-mode instances read as roadmaps (through the validator a user's roadmap
/// meets), each solved at a fixed time limit and checked by the independent verifier; prints the deviation of the
/// makespan from the optimum (or best known), how many match it, how many are proven optimal, and the time to the
/// first feasible plan (the heuristic's, which the Timeline shows at once).</summary>
public static class PsplibBench
{
    private sealed record Outcome(string Name, int Best, bool BestIsOptimum, int Makespan, bool Proven, int Bound, double FirstMs, double SolveS, int Heuristic);

    public static int Run(string[] args)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        var data = Option("--data");
        var set = Option("--set") ?? "j30";
        var limit = double.Parse(Option("--limit") ?? "1", CultureInfo.InvariantCulture);
        var every = int.Parse(Option("--every") ?? "1", CultureInfo.InvariantCulture);
        var workers = int.Parse(Option("--workers") ?? Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var verbose = args.Contains("--verbose");
        if (data is null || !Directory.Exists(Path.Combine(data, set)))
        {
            Console.Error.WriteLine("Usage: psplib --data DIR [--set j30|j60] [--limit SECONDS] [--every N] [--parallel [--workers N]] [--params CP-SAT-PARAMETERS] [--verbose]");
            Console.Error.WriteLine("DIR holds <set>/*.sm and <set>/optimum/optimum.csv (optimum, or lower..upper when open).");
            return 2;
        }

        var best = ReadOptima(Path.Combine(data, set, "optimum", "optimum.csv"));
        var files = Directory.GetFiles(Path.Combine(data, set), "*.sm").OrderBy(NaturalKey, StringComparer.Ordinal).Where((_, n) => n % every == 0).ToList();
        Console.WriteLine($"PSPLIB {set}: {files.Count} instances (every {every}), {limit.ToString(CultureInfo.InvariantCulture)} s each, {(args.Contains("--parallel") ? $"CP-SAT parallel on {workers} workers" : "CP-SAT reproducible (one thread)")}, {Environment.ProcessorCount} cores {Option("--params")}");
        var options = new SchedulerOptions { TimeLimit = TimeSpan.FromSeconds(limit), Workers = workers, Reproducible = !args.Contains("--parallel"), SolverParameters = Option("--params") };
        var outcomes = new List<Outcome>();
        var total = Stopwatch.StartNew();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var w = PsplibReader.Read(File.ReadAllText(file), name);
            if (RoadmapValidator.Validate(w) is { Count: > 0 } problems) throw new InvalidOperationException($"{name}: {problems[0]}");
            if (!best.TryGetValue(name, out var known)) throw new InvalidOperationException($"{name} has no row in optimum.csv.");

            var clock = Stopwatch.StartNew();
            var heuristic = ListScheduler.Schedule(w).MakespanWeeks;
            var firstMs = clock.Elapsed.TotalMilliseconds;
            var s = new CpSatScheduler().Schedule(w, options);
            if (ScheduleVerifier.Violations(w, s) is { Count: > 0 } violations) throw new InvalidOperationException($"{name}: infeasible plan: {violations[0]}");
            if (s.Status == ScheduleStatus.Optimal && s.MakespanWeeks != known.Upper && known.Lower == known.Upper)
                throw new InvalidOperationException($"{name}: proven optimal at {s.MakespanWeeks}, but the optimum is {known.Upper}.");
            var o = new Outcome(name, known.Upper, known.Lower == known.Upper, s.MakespanWeeks, s.Status == ScheduleStatus.Optimal, s.MakespanLowerBound, firstMs, s.SolveTime.TotalSeconds, heuristic);
            outcomes.Add(o);
            if (verbose || o.Makespan > o.Best)
                Console.WriteLine($"  {name,-14} {o.Makespan,4} vs {o.Best,4}{(o.BestIsOptimum ? "" : "*"),-1} bound {o.Bound,4} {(o.Proven ? "proven" : ""),-6} {o.SolveS,5:0.00} s");
        }

        double Deviation(Outcome o) => 100.0 * (o.Makespan - o.Best) / o.Best;
        var worst = outcomes.MaxBy(Deviation)!;
        var firsts = outcomes.Select(o => o.FirstMs).Order().ToArray();
        Console.WriteLine($"mean deviation {outcomes.Average(Deviation):0.000} %, worst {Deviation(worst):0.00} % ({worst.Name}); " +
                          $"at best known {outcomes.Count(o => o.Makespan <= o.Best)}/{outcomes.Count} " +
                          $"(optimum known for {outcomes.Count(o => o.BestIsOptimum)}), proven optimal {outcomes.Count(o => o.Proven)}, " +
                          $"better than best known {outcomes.Count(o => o.Makespan < o.Best)}");
        Console.WriteLine($"the heuristic alone: mean deviation {outcomes.Average(o => 100.0 * (o.Heuristic - o.Best) / o.Best):0.000} %, at best known {outcomes.Count(o => o.Heuristic <= o.Best)}");
        Console.WriteLine($"first feasible plan: median {firsts[firsts.Length / 2]:0.0} ms, max {firsts[^1]:0.0} ms; " +
                          $"mean solve {outcomes.Average(o => o.SolveS):0.00} s; mean gap to our bound {outcomes.Average(o => 100.0 * (o.Makespan - o.Bound) / o.Makespan):0.00} %; total {total.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    /// <summary>optimum.csv: "problem,optimum" with the optimum, or "lower..upper" while it is open ("..upper" when no
    /// lower bound is given).</summary>
    private static Dictionary<string, (int Lower, int Upper)> ReadOptima(string path) =>
        File.ReadLines(path).Skip(1).Where(l => l.Contains(',', StringComparison.Ordinal)).Select(l => l.Split(',')).ToDictionary(
            p => p[0].Trim(),
            p => p[1].Split("..") is [var lo, var hi]
                ? (lo.Length == 0 ? 0 : int.Parse(lo, CultureInfo.InvariantCulture), int.Parse(hi, CultureInfo.InvariantCulture))
                : (int.Parse(p[1], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture)),
            StringComparer.Ordinal);

    /// <summary>"j3012_7.sm" sorts as parameter 12, instance 7 (the order the instances were generated in).</summary>
    private static string NaturalKey(string path) =>
        string.Concat(System.Text.RegularExpressions.Regex.Split(Path.GetFileNameWithoutExtension(path), @"(\d+)")
            .Select(part => part.Length > 0 && char.IsAsciiDigit(part[0]) ? part.PadLeft(6, '0') : part));
}
