using System.Diagnostics;
using System.Globalization;
using Planner.Bench;
using Planner.Roadmaps;
using Planner.Scheduling;

// Benchmarks, each printing figures measured side by side in one run:
//   scheduler  the list heuristic and CP-SAT on generated roadmaps of growing size (makespan ÷ lower bound)
//   llm        time to first token and tokens/s through Semantic Kernel + our queue vs the raw LLamaSharp executor
//   retrieval  search latency (p50/p95) of the document library holding 1,000 documents
//   psplib     the field's benchmark (PSPLIB j30/j60): deviation from the optimum at a time limit per instance; run alone:
//              psplib --data DIR [--set j30|j60] [--limit S] [--every N] [--parallel [--workers N]] [--params P] [--verbose]
//   match-precision  review matching's precision on the sample before and after the founder's decisions; run alone:
//              match-precision [--judgements FILE] [--splits N] [--boost X] [--rejected X] [--learned X] [--meaning [--similarity X]]
//   themes     themes from the sentence encoder's embeddings against themes from the texts' terms, scored against labels
//              the grouping never saw (purity, NMI, adjusted Rand); run alone: themes [--data CSV] [--label-column C] [--seeds N]
//   label-suggestions  the Label page's suggestions after the first n labels, baseline against the pretrained encoder; run
//              alone: label-suggestions [--data CSV] [--label-column C] [--orders N]
// Usage: dotnet run -c Release --project bench/Planner.Bench [-- [--quick] [scheduler] [llm] [retrieval]] (none named = all)
if (args.FirstOrDefault() == "match-precision")
{
    CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
    Environment.ExitCode = MatchPrecisionBench.Run(args);
    return;
}
if (args.FirstOrDefault() == "themes")
{
    CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
    Environment.ExitCode = ThemesBench.Run(args);
    return;
}
if (args.FirstOrDefault() == "label-suggestions")
{
    CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
    Environment.ExitCode = SuggestionBench.Run(args);
    return;
}
if (args.FirstOrDefault() == "psplib")
{
    CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
    Environment.ExitCode = PsplibBench.Run(args);
    return;
}
var quick = args.Contains("--quick");
var named = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
bool Wanted(string section) => named.Count == 0 || named.Contains(section);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (Wanted("llm")) await LlmOverheadBench.RunAsync(quick);
if (Wanted("retrieval")) await RetrievalBench.RunAsync(quick);
if (!Wanted("scheduler")) return;
var cases = new (int Items, int Teams, int Weeks, double Limit, int Seeds)[]
{
    (30, 4, 20, 2, quick ? 2 : 5),
    (120, 8, 40, 5, quick ? 1 : 3),
    (500, 15, 60, 10, quick ? 1 : 2),
    (5000, 30, 104, 10, 1),
    (20000, 30, 208, 60, 1), // past RoadmapBounds.MaxInitiatives: the validator's message, then the scheduler regardless
};

Console.WriteLine($"{Environment.ProcessorCount} cores; CP-SAT reproducible (one thread); each row one generated roadmap");
Console.WriteLine($"{"items",6} {"teams",5} {"deps",6} | {"heur wk",7} {"heur ms",8} | {"cp wk",6} {"status",9} {"cp s",6} | {"LB wk",6} {"heur/LB",8} {"cp/LB",6} {"heur/cp",8}");
foreach (var c in cases)
{
    for (var seed = 1; seed <= c.Seeds; seed++)
    {
        var w = InstanceGenerator.Create(c.Items, c.Teams, c.Weeks, seed);
        if (RoadmapValidator.Validate(w) is { Count: > 0 } problems)
        {
            if (c.Items <= RoadmapBounds.MaxInitiatives) throw new InvalidOperationException(problems[0].ToString());
            Console.WriteLine($"{c.Items,6} {c.Teams,5}: refused as a roadmap: {string.Join(" ", problems.Select(p => p.Message))} (scheduled below regardless)");
        }
        var clock = Stopwatch.StartNew();
        var heuristic = ListScheduler.Schedule(w);
        var heuristicMs = clock.Elapsed.TotalMilliseconds;
        var solved = new CpSatScheduler().Schedule(w, new SchedulerOptions { TimeLimit = TimeSpan.FromSeconds(c.Limit) });
        var violations = ScheduleVerifier.Violations(w, solved);
        if (violations.Count > 0) throw new InvalidOperationException($"infeasible schedule: {violations[0]}");
        double lb = Math.Max(1, solved.MakespanLowerBound);
        Console.WriteLine($"{c.Items,6} {c.Teams,5} {w.Initiatives.Sum(i => i.Dependencies.Count),6} | " +
                          $"{heuristic.MakespanWeeks,7} {heuristicMs,8:0} | {solved.MakespanWeeks,6} {solved.Status.ToString().ToLowerInvariant(),9} {solved.SolveTime.TotalSeconds,6:0.00} | " +
                          $"{solved.MakespanLowerBound,6} {heuristic.MakespanWeeks / lb,8:0.000} {solved.MakespanWeeks / lb,6:0.000} {(double)heuristic.MakespanWeeks / Math.Max(1, solved.MakespanWeeks),8:0.000}");
    }
}
