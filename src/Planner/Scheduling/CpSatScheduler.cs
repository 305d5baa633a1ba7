using System.Diagnostics;
using System.Globalization;
using Google.OrTools.Sat;
using Planner.Roadmaps;
using Planner.Telemetry;

namespace Planner.Scheduling;

/// <summary>The optimiser: Google OR-Tools CP-SAT over interval variables, one cumulative constraint per team,
/// precedences with lags, releases, locks and hard deadlines; warm-started with the heuristic's schedule (a hint
/// and an upper bound on the horizon). Capacity that changes over time is modelled as fixed "absence" intervals
/// under the team's peak capacity.</summary>
public sealed class CpSatScheduler : IScheduler
{
    public Schedule Schedule(Workspace workspace, SchedulerOptions? options = null, CancellationToken ct = default)
    {
        using var activity = PlannerTelemetry.Source.StartActivity("scheduling.solve");
        activity?.SetTag("planner.scheduling.initiatives", workspace.Initiatives.Count);
        var schedule = Compute(workspace, options, ct);
        KeyValuePair<string, object?>[] tags = [new(PlannerTelemetry.MethodTag, schedule.Method), new(PlannerTelemetry.StatusTag, schedule.Status.ToString())];
        PlannerTelemetry.SchedulingSolveDuration.Record(schedule.SolveTime.TotalSeconds, tags);
        foreach (var (key, value) in tags) activity?.SetTag(key, value);
        return schedule;
    }

    private static Schedule Compute(Workspace workspace, SchedulerOptions? options, CancellationToken ct)
    {
        options ??= SchedulerOptions.Default;
        ListScheduler.RequireAcyclic(workspace);
        var clock = Stopwatch.StartNew();
        var input = SchedulingInput.From(workspace, options);
        long? shown = null; // the objective of the plan last handed to Progress
        var heuristic = ListScheduler.Run(input, options, options.Progress is { } progress
            ? first =>
            {
                if (first.PlacementProblems.Count > 0) return;
                progress(ScheduleReport.Build(input, options, first.Starts, [], "heuristic", null, null, clock.Elapsed));
                shown = first.Objective;
            }
            : null);
        if (input.Count == 0)
            return ScheduleReport.Build(input, options, [], [], "heuristic", ScheduleStatus.Optimal, 0, clock.Elapsed);
        if (heuristic.PlacementProblems.Count > 0 || !options.UseSolver)
            return ScheduleReport.Build(input, options, heuristic.Starts, heuristic.PlacementProblems, "heuristic", null, null, clock.Elapsed);

        if (shown is null || heuristic.Objective < shown)
            options.Progress?.Invoke(ScheduleReport.Build(input, options, heuristic.Starts, [], "heuristic", null, null, clock.Elapsed));
        var outcome = Solve(input, options, heuristic, clock, ct);
        if (outcome is null) // no solution in time: the heuristic's stands
            return ScheduleReport.Build(input, options, heuristic.Starts, [], "heuristic", null, null, clock.Elapsed);
        if (outcome.Value.Status == CpSolverStatus.Infeasible)
        {
            var why = InfeasibilityExplainer.Explain(workspace, input);
            return ScheduleReport.Build(input, options, heuristic.Starts, why, "cp-sat", ScheduleStatus.Infeasible, 0, clock.Elapsed);
        }
        var (starts, status, bound) = (outcome.Value.Starts, outcome.Value.Status, outcome.Value.Bound);
        return ScheduleReport.Build(input, options, starts, [], "cp-sat",
            status == CpSolverStatus.Optimal ? ScheduleStatus.Optimal : ScheduleStatus.Feasible, bound, clock.Elapsed);
    }

    private static (int[] Starts, CpSolverStatus Status, long Bound)? Solve(SchedulingInput input, SchedulerOptions options, ListScheduler.Result warm, Stopwatch total, CancellationToken ct)
    {
        var n = input.Count;
        var heuristicEnd = Enumerable.Range(0, n).Max(i => checked(warm.Starts[i] + input.Duration[i]));
        // Makespan: the optimum is no later than the heuristic's. Weighted: leave room to reorder.
        // (If the heuristic missed a hard deadline, meeting it may take longer overall: give the solver room.)
        var horizon = options.Objective == ScheduleObjective.Makespan && warm.HardMisses == 0
            ? heuristicEnd
            : checked(heuristicEnd + (warm.HardMisses > 0 ? input.Duration.Sum() : input.Duration.DefaultIfEmpty(0).Max() + 1));
        foreach (var lf in input.LatestFinish) if (lf is { } f) horizon = Math.Max(horizon, f);

        var model = new CpModel();
        var start = new IntVar[n];
        var interval = new IntervalVar[n];
        for (var i = 0; i < n; i++)
        {
            var lo = input.Locked[i] ?? input.Release[i];
            var hi = input.Locked[i] ?? Math.Max(lo, checked(horizon - input.Duration[i]));
            if (input.LatestFinish[i] is { } lf) hi = Math.Min(hi, checked(lf - input.Duration[i]));
            if (hi < lo) return (warm.Starts, CpSolverStatus.Infeasible, 0);
            start[i] = model.NewIntVar(lo, hi, $"s{i}");
            interval[i] = model.NewFixedSizeIntervalVar(start[i], input.Duration[i], $"x{i}");
            model.AddHint(start[i], warm.Starts[i]);
        }
        for (var i = 0; i < n; i++)
            foreach (var (p, lag) in input.Preds[i])
                model.Add(start[i] >= start[p] + (input.Duration[p] + lag));

        for (var t = 0; t < input.Teams.Length; t++)
        {
            var users = Enumerable.Range(0, n).Where(i => input.Demand[i][t] > 0 && input.Duration[i] > 0).ToList();
            if (users.Count == 0) continue;
            var peak = Enumerable.Range(0, horizon + 1).Max(w => input.CapacityAt(t, w));
            var cumulative = model.AddCumulative(peak);
            foreach (var i in users) cumulative.AddDemand(interval[i], input.Demand[i][t]);
            // Weeks below peak capacity: a fixed interval takes the missing people (runs of equal shortfall merged).
            for (var w = 0; w < horizon;)
            {
                var shortfall = peak - input.CapacityAt(t, w);
                var from = w;
                while (w < horizon && peak - input.CapacityAt(t, w) == shortfall) w++;
                if (shortfall > 0) cumulative.AddDemand(model.NewFixedSizeIntervalVar(from, w - from, $"off{t}_{from}"), shortfall);
            }
        }

        IntVar? makespan = null;
        if (options.Objective == ScheduleObjective.Makespan)
        {
            // Our own lower bound lets the solver stop the moment it reaches it (proven optimal).
            makespan = model.NewIntVar(Math.Min(horizon, LowerBounds.Compute(input, ScheduleObjective.Makespan)), horizon, "makespan");
            for (var i = 0; i < n; i++) model.Add(makespan >= start[i] + input.Duration[i]);
            model.AddHint(makespan, heuristicEnd);
            model.Minimize(makespan);
        }
        else
        {
            model.Minimize(LinearExpr.WeightedSum(start, input.Weight.Select(w => (long)w)) + Enumerable.Range(0, n).Sum(i => (long)input.Weight[i] * input.Duration[i]));
        }

        var clock = Stopwatch.StartNew();
        var limit = options.TimeLimit.TotalSeconds;
        var improved = options.Progress is { } progress ? new ImprovementReporter(input, options, start, warm.Objective, total, progress) : null;
        // The second phase's share: a quarter when it has soft deadlines or an anchor to honour, else it only starts
        // everything as early as it can (its hint is already left-justified) and a tenth leaves more to the makespan.
        var softGoals = options.Anchor is { Count: > 0 } || input.Items.Any(i => i is { Deadline: not null, DeadlineIsHard: false });
        var polishShare = softGoals ? 0.25 : 0.1;
        var status = Run(model, options, makespan is null ? limit : limit * (1 - polishShare), ct, out var solver, improved);
        if (status == CpSolverStatus.Infeasible) return (warm.Starts, status, 0);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible)) return null;
        var starts = start.Select(v => (int)solver.Value(v)).ToArray();
        var bound = (long)Math.Ceiling(solver.BestObjectiveBound - 1e-6);

        if (makespan is not null && !ct.IsCancellationRequested)
        {
            // Second phase: keep the makespan found; among such schedules, miss soft deadlines by as few weeks as
            // possible, then take every item as early as possible (least Σ start) — a canonical, left-justified plan,
            // so that a what-if moves what the change forces. One week late outweighs any sum of starts.
            model.Add(makespan <= (long)Math.Round(solver.ObjectiveValue));
            // Hint: the solution left-justified (cheap and never worse); the solver polishes from there.
            starts = ListScheduler.LeftJustify(input, starts);
            model.ClearHints();
            for (var i = 0; i < n; i++) model.AddHint(start[i], starts[i]);
            var lateness = new List<IntVar>();
            for (var i = 0; i < n; i++)
            {
                if (input.Items[i] is not { Deadline: { } deadline, DeadlineIsHard: false } soft) continue;
                var due = soft.IsMilestone ? input.Workspace.WeekOf(deadline) : input.Workspace.WeekOf(deadline.AddDays(1));
                var late = model.NewIntVar(0, horizon, $"late{i}");
                model.Add(late >= start[i] + input.Duration[i] - due);
                lateness.Add(late);
            }
            // Lexicographic in one objective: soft-deadline lateness first; then, with an anchor, weeks moved from it
            // (a plan should stay what the founder saw unless something forces it); then Σ start.
            var moves = new List<IntVar>();
            foreach (var (i, before) in Enumerable.Range(0, n).Select(i => (i, options.Anchor?.GetValueOrDefault(input.Items[i].Key, -1) ?? -1)).Where(p => p.Item2 >= 0))
            {
                var move = model.NewIntVar(0, horizon + before, $"move{i}");
                model.Add(move >= start[i] - before);
                model.Add(move >= before - start[i]);
                moves.Add(move);
            }
            long step = (long)n * (horizon + 1) + 1;                 // more than any Σ start or Σ moves
            var moveWeight = moves.Count > 0 ? step : 0;
            var latenessWeight = moves.Count > 0 ? step * step : step;
            if (moves.Count > 0 && latenessWeight > (1L << 50) / Math.Max(1, horizon))
            {
                (moveWeight, latenessWeight) = (0, step);             // too large for safe arithmetic: drop the anchor
                moves.Clear();
            }
            model.Minimize(LinearExpr.Sum(lateness) * latenessWeight + LinearExpr.Sum(moves) * moveWeight + LinearExpr.Sum(start));
            var second = Run(model, options, Math.Clamp(limit - clock.Elapsed.TotalSeconds, 0.1, Math.Max(0.1, limit * polishShare)), ct, out var polish);
            if (second is CpSolverStatus.Optimal or CpSolverStatus.Feasible)
                starts = ListScheduler.LeftJustify(input, start.Select(v => (int)polish.Value(v)).ToArray());
        }
        return (starts, status, bound);
    }

    /// <summary>Deterministic search: one worker (a single search thread follows the same path on every run; CP-SAT's
    /// parallel portfolio does not, and its deterministic "interleaved" mode aborted the process in a postsolve check
    /// on a benchmark instance, so it is not used), stopped at a budget of deterministic time (CP-SAT's count of work
    /// done, calibrated to about a second), so where it stops does not depend on the machine's load either. The
    /// wall-clock limit stays as the ceiling the caller asked for: on a machine too busy to spend the deterministic
    /// budget in time, the clock ends the search first and that run may differ (a proven optimum never does).</summary>
    private static CpSolverStatus Run(CpModel model, SchedulerOptions options, double seconds, CancellationToken ct, out CpSolver solver, CpSolverSolutionCallback? callback = null)
    {
        var parameters = new List<(string Name, string Value)>
        {
            ("num_workers", (options.Reproducible ? 1 : Math.Max(1, options.Workers)).ToString(CultureInfo.InvariantCulture)),
            ("max_time_in_seconds", seconds.ToString("0.###", CultureInfo.InvariantCulture)),
        };
        if (options.Reproducible)
            parameters.Add(("max_deterministic_time", (seconds * DeterministicSecondsPerSecond).ToString("0.####", CultureInfo.InvariantCulture)));
        // The caller's own parameters replace ours of the same name (CP-SAT refuses a parameter given twice).
        foreach (var pair in (options.SolverParameters ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw new ArgumentException($"Solver parameters are 'name:value' pairs; '{pair}' is not.", nameof(options));
            var name = pair[..colon].Trim();
            parameters.RemoveAll(p => p.Name == name);
            parameters.Add((name, pair[(colon + 1)..].Trim()));
        }
        solver = new CpSolver { StringParameters = string.Join(", ", parameters.Select(p => $"{p.Name}:{p.Value}")) };
        if (ct.IsCancellationRequested) return CpSolverStatus.Unknown; // stopped before it began: the heuristic stands
        using var cancel = ct.Register(solver.StopSearch);
        return solver.Solve(model, callback);
    }

    /// <summary>Deterministic seconds granted per second of the time limit.</summary>
    private const double DeterministicSecondsPerSecond = 1.0;
}
