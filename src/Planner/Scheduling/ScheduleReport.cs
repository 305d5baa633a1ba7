using Planner.Roadmaps;

namespace Planner.Scheduling;

/// <summary>Turns week numbers from any scheduler into a <see cref="Schedule"/>: items, status, bounds, and the
/// problems a founder should know about (missed deadlines, work past the horizon).</summary>
internal static class ScheduleReport
{
    public static Schedule Build(SchedulingInput input, SchedulerOptions options, int[] starts, IReadOnlyList<RoadmapProblem> placementProblems,
        string method, ScheduleStatus? status, long? lowerBound, TimeSpan elapsed)
    {
        var problems = new List<RoadmapProblem>(placementProblems);
        var items = new List<ScheduledItem>(input.Count);
        var hardMiss = false;
        for (var i = 0; i < input.Count; i++)
        {
            var item = input.Items[i];
            var finish = checked(starts[i] + input.Duration[i]);
            items.Add(new ScheduledItem(item.Key, starts[i], finish));
            if (DeadlineProblem(input.Workspace, item, finish) is { } missed)
            {
                problems.Add(missed);
                hardMiss |= item.DeadlineIsHard;
            }
            if (options.HorizonWeeks is { } horizon && finish > horizon)
                problems.Add(new(item.Key, "horizon", $"Finishes in week {finish}, after the horizon ends (week {horizon}, {input.Workspace.WeekStart(horizon):yyyy-MM-dd})."));
        }
        if (UnestimatedProblem(input) is { } unestimated) problems.Add(unestimated);
        var objective = ListScheduler.ObjectiveOf(input, options.Objective, starts);
        var bound = Math.Min(objective, Math.Max(lowerBound ?? 0, LowerBounds.Compute(input, options.Objective)));
        var violatesHard = hardMiss || placementProblems.Count > 0;
        return new Schedule(items, problems)
        {
            // Proven optimal by the solver, or because the schedule meets a lower bound.
            Status = violatesHard ? ScheduleStatus.Infeasible : objective == bound ? ScheduleStatus.Optimal : status ?? ScheduleStatus.Feasible,
            Objective = options.Objective,
            Method = method,
            ObjectiveValue = objective,
            LowerBound = violatesHard ? 0 : bound,
            MakespanLowerBound = options.Objective == ScheduleObjective.Makespan && !violatesHard
                ? (int)bound : (int)LowerBounds.Compute(input, ScheduleObjective.Makespan),
            SolveTime = elapsed,
        };
    }

    /// <summary>One note naming the initiatives without an estimate and the default weeks they were given, or null.</summary>
    private static RoadmapProblem? UnestimatedProblem(SchedulingInput input)
    {
        var keys = input.Items.Where(i => i.IsUnestimated).Select(i => i.Key).ToList();
        if (keys.Count == 0) return null;
        var named = string.Join(", ", keys.Take(10)) + (keys.Count > 10 ? $" and {keys.Count - 10} more" : "");
        var weeks = input.Workspace.DefaultEstimateWeeks;
        return new(null, "estimate", $"{keys.Count} initiative{(keys.Count == 1 ? " has" : "s have")} no estimate ({named}); " +
            $"each is scheduled at the workspace's default of {weeks} week{(weeks == 1 ? "" : "s")}.");
    }

    /// <summary>A missed deadline, or null. The work occupies weeks [start, finish): it is done by the day before
    /// week `finish` begins (a milestone: on the day week `finish` begins).</summary>
    public static RoadmapProblem? DeadlineProblem(Workspace workspace, Initiative item, int finishWeek)
    {
        if (item.Deadline is not { } deadline) return null;
        var doneBy = workspace.WeekStart(finishWeek).AddDays(item.IsMilestone ? 0 : -1);
        if (doneBy <= deadline) return null;
        var late = (int)Math.Ceiling((doneBy.DayNumber - deadline.DayNumber) / 7.0);
        return new(item.Key, "deadline",
            $"{(item.DeadlineIsHard ? "Misses its hard deadline" : "Misses its deadline")} {deadline:yyyy-MM-dd} by {late} week{(late == 1 ? "" : "s")} (done {doneBy:yyyy-MM-dd}).");
    }
}
