using System.Diagnostics;
using Planner.Roadmaps;

namespace Planner.Scheduling;

/// <summary>The fast heuristic: serial schedule generation under several priority rules (earliest start, latest
/// finish, and for the weighted objective weight per week of work), each improved by forward-backward
/// justification; the best result wins. Milliseconds for hundreds of initiatives, always capacity-feasible when the
/// roadmap can be scheduled at all. It warm-starts CP-SAT and stands alone when the solver is off or finds nothing.</summary>
public static class ListScheduler
{
    public static Schedule Schedule(Workspace workspace, SchedulerOptions? options = null)
    {
        options ??= SchedulerOptions.Default with { UseSolver = false };
        RequireAcyclic(workspace);
        var clock = Stopwatch.StartNew();
        var input = SchedulingInput.From(workspace, options);
        var best = Run(input, options);
        return ScheduleReport.Build(input, options, best.Starts, best.PlacementProblems, "heuristic",
            status: null, lowerBound: null, clock.Elapsed);
    }

    internal static void RequireAcyclic(Workspace workspace)
    {
        if (RoadmapValidator.FindCycle(workspace.Initiatives) is { } cycle)
            throw new ArgumentException($"Validate the roadmap first: dependency cycle {string.Join(" -> ", cycle)}.", nameof(workspace));
    }

    internal sealed record Result(int[] Starts, List<RoadmapProblem> PlacementProblems, long Objective, int HardMisses);

    /// <param name="beforeImprovement">Called with the best rule's plan before the iterated improvement runs (the
    /// plan a page can show at once).</param>
    internal static Result Run(SchedulingInput input, SchedulerOptions options, Action<Result>? beforeImprovement = null)
    {
        var est = input.EarliestStarts();
        var criticalPath = Enumerable.Range(0, input.Count).Select(i => checked(est[i] + input.Duration[i])).DefaultIfEmpty(0).Max();
        var lft = input.LatestFinishes(criticalPath);
        var first = Enumerable.Range(0, input.Count).Where(i => options.First.Contains(input.Items[i].Key)).ToHashSet();

        var rules = new List<long[]>
        {
            Keys(input, i => est[i]),                                             // earliest start
            Keys(input, i => lft[i]),                                             // latest finish (deadline-aware)
            Keys(input, i => lft[i] - input.Duration[i]),                         // latest start
        };
        if (options.Objective == ScheduleObjective.Weighted)
            rules.Add(Keys(input, i => -(long)input.Weight[i] * 1000 / Math.Max(1, input.Duration[i])));
        foreach (var rule in rules) foreach (var i in first) rule[i] = long.MinValue + i;

        Result? best = null;
        foreach (var rule in rules)
        {
            var candidate = Evaluate(input, options, SerialGenerate(input, rule));
            candidate = Improve(input, options, candidate);
            if (best is null || Better(candidate, best)) best = candidate;
        }
        if (best is null) return new Result([], [], 0, 0);
        beforeImprovement?.Invoke(best);
        return Perturb(input, options, best, first);
    }

    /// <summary>Iterated improvement around the best schedule: list it again in the order of its own starts, each
    /// shifted by up to the longest duration at random, and justify forward and backward; keep what is better. A fixed seed and a
    /// fixed number of rounds (fewer for larger roadmaps, so it stays within tens of milliseconds) keep it
    /// reproducible.</summary>
    private static Result Perturb(SchedulingInput input, SchedulerOptions options, Result best, HashSet<int> first)
    {
        if (best.PlacementProblems.Count > 0 || input.Count < 2) return best;
        var random = new Random(20_27);
        var rounds = Math.Min(PerturbationRounds, PerturbationWork / input.Count);
        var spread = Math.Max(1, input.Duration.Max()); // measured on PSPLIB j60: half or twice as much does worse
        for (var round = 0; round < rounds; round++)
        {
            var key = new long[input.Count];
            for (var i = 0; i < input.Count; i++)
                key[i] = first.Contains(i) ? long.MinValue + i : ((long)best.Starts[i] * 4 + random.Next(-spread * 4, spread * 4 + 1)) * (input.Count + 1) + i;
            var candidate = Improve(input, options, Evaluate(input, options, SerialGenerate(input, key)));
            if (!Better(best, candidate)) best = candidate; // ties move on: a plateau is explored, not stuck on
        }
        return best;
    }

    private const int PerturbationRounds = 300;
    private const int PerturbationWork = 20_000;

    private static long[] Keys(SchedulingInput input, Func<int, long> key) => [.. Enumerable.Range(0, input.Count).Select(key)];

    private static bool Better(Result a, Result b) =>
        a.PlacementProblems.Count != b.PlacementProblems.Count ? a.PlacementProblems.Count < b.PlacementProblems.Count
        : a.HardMisses != b.HardMisses ? a.HardMisses < b.HardMisses
        : a.Objective < b.Objective;

    private static Result Evaluate(SchedulingInput input, SchedulerOptions options, (int[] Starts, List<RoadmapProblem> Problems) s)
    {
        var hardMisses = 0;
        for (var i = 0; i < input.Count; i++)
            if (input.LatestFinish[i] is { } lf && checked(s.Starts[i] + input.Duration[i]) > lf) hardMisses++;
        return new Result(s.Starts, s.Problems, ObjectiveOf(input, options.Objective, s.Starts), hardMisses);
    }

    internal static long ObjectiveOf(SchedulingInput input, ScheduleObjective objective, int[] starts) => objective switch
    {
        ScheduleObjective.Makespan => Enumerable.Range(0, input.Count).Select(i => (long)starts[i] + input.Duration[i]).DefaultIfEmpty(0).Max(),
        _ => Enumerable.Range(0, input.Count).Sum(i => (long)input.Weight[i] * (starts[i] + input.Duration[i])),
    };

    /// <summary>Serial SGS: take the eligible item (all predecessors placed) with the smallest key; put it in the
    /// first week from which its teams have room for its whole duration.</summary>
    private static (int[] Starts, List<RoadmapProblem> Problems) SerialGenerate(SchedulingInput input, long[] key)
    {
        var n = input.Count;
        var problems = new List<RoadmapProblem>();
        var start = new int[n];
        var finish = new int[n];
        var ledger = new CapacityLedger(input);
        var remaining = input.Preds.Select(p => p.Count).ToArray();
        var eligible = new SortedSet<(long Key, int Index)>(Enumerable.Range(0, n).Where(i => remaining[i] == 0).Select(i => (key[i], i)));

        while (eligible.Count > 0)
        {
            var (_, i) = eligible.Min;
            eligible.Remove(eligible.Min);
            var item = input.Items[i];
            var ready = input.Release[i];
            foreach (var (p, lag) in input.Preds[i]) ready = Math.Max(ready, checked(finish[p] + lag));

            int week;
            if (input.Locked[i] is { } locked)
            {
                week = locked;
                if (locked < ready)
                    problems.Add(new(item.Key, "lockedStart", $"Locked to start in week {locked}, but its dependencies or earliest start allow week {ready} at the soonest."));
                else if (!ledger.Fits(i, week))
                    problems.Add(new(item.Key, "lockedStart", $"Locked to start in week {locked}, when its teams do not have enough free people."));
            }
            else if (ledger.FirstFit(i, ready) is { } fit)
            {
                week = fit;
            }
            else
            {
                problems.Add(new(item.Key, "demand", ledger.WhyNeverFits(i)));
                week = ready; // placed where it would start, without booking: the schedule is infeasible
                start[i] = week;
                finish[i] = checked(week + input.Duration[i]);
                Release(i);
                continue;
            }
            start[i] = week;
            finish[i] = checked(week + input.Duration[i]);
            ledger.Add(i, week);
            Release(i);
        }
        return (start, problems);

        void Release(int i)
        {
            foreach (var (s, _) in input.Succs[i])
                if (--remaining[s] == 0) eligible.Add((key[s], s));
        }
    }

    /// <summary>Forward-backward improvement (Valls et al.): right-justify every item as late as the current end
    /// allows (latest finishers first), then left-justify (earliest starters first). Repeated while it helps. Each
    /// pass keeps capacity and precedence feasible; a pass that cannot place an item is discarded.</summary>
    private static Result Improve(SchedulingInput input, SchedulerOptions options, Result current)
    {
        if (current.PlacementProblems.Count > 0 || input.Count == 0) return current;
        for (var round = 0; round < 4; round++)
        {
            var right = Justify(input, current.Starts, backward: true);
            if (right is null) break;
            var left = Justify(input, right, backward: false);
            if (left is null) break;
            var candidate = Evaluate(input, options, (left, []));
            if (!Better(candidate, current)) break;
            current = candidate;
        }
        return current;
    }

    /// <summary>Moves every item as early as capacity and precedence allow, in order of start. Never moves anything
    /// later (so makespan, deadlines and lateness can only improve).</summary>
    internal static int[] LeftJustify(SchedulingInput input, int[] starts) =>
        input.Count == 0 ? starts : Justify(input, starts, backward: false) ?? starts;

    private static int[]? Justify(SchedulingInput input, int[] starts, bool backward)
    {
        var n = input.Count;
        var end = Enumerable.Range(0, n).Select(i => checked(starts[i] + input.Duration[i])).Max();
        var result = new int[n];
        var placed = new bool[n];
        var ledger = new CapacityLedger(input);
        for (var i = 0; i < n; i++)
            if (input.Locked[i] is { } l) { result[i] = l; placed[i] = true; ledger.Add(i, l); }

        // Backward: latest finishers first, once all successors are placed; forward: earliest starters first, once
        // all predecessors are placed. Locked items are already in place.
        var blocking = backward ? input.Succs.Select(x => x.Select(e => e.Item1)).ToArray() : input.Preds.Select(x => x.Select(e => e.Item1)).ToArray();
        var waiting = Enumerable.Range(0, n).Select(i => blocking[i].Count(j => !placed[j])).ToArray();
        long Key(int i) => backward ? -((long)(starts[i] + input.Duration[i]) * (n + 1) + starts[i]) : (long)starts[i] * (n + 1) + starts[i] + input.Duration[i];
        var queue = new SortedSet<(long, int)>(Enumerable.Range(0, n).Where(i => !placed[i] && waiting[i] == 0).Select(i => (Key(i), i)));
        var unblocks = backward ? input.Preds.Select(x => x.Select(e => e.Item1)).ToArray() : input.Succs.Select(x => x.Select(e => e.Item1)).ToArray();
        var order = new List<int>(n);
        while (queue.Count > 0)
        {
            var (_, next) = queue.Min;
            queue.Remove(queue.Min);
            order.Add(next);
            foreach (var j in unblocks[next])
                if (!placed[j] && --waiting[j] == 0) queue.Add((Key(j), j));
        }
        foreach (var i in order)
        {
            int? week;
            if (backward)
            {
                // As late as successors (already placed: they finish later) and the hard deadline allow.
                var latestFinish = input.LatestFinish[i] is { } lf ? Math.Min(lf, end) : end;
                foreach (var (s, lag) in input.Succs[i]) latestFinish = Math.Min(latestFinish, checked(result[s] - lag));
                var earliest = input.Release[i];
                foreach (var (p, lag) in input.Preds[i]) if (input.Locked[p] is not null) earliest = Math.Max(earliest, checked(result[p] + input.Duration[p] + lag));
                week = ledger.LastFit(i, earliest, checked(latestFinish - input.Duration[i]));
            }
            else
            {
                var ready = input.Release[i];
                foreach (var (p, lag) in input.Preds[i]) ready = Math.Max(ready, checked(result[p] + input.Duration[p] + lag));
                week = ledger.FirstFit(i, ready);
            }
            if (week is null) return null;
            result[i] = week.Value;
            placed[i] = true;
            ledger.Add(i, week.Value);
        }
        return result;
    }
}
