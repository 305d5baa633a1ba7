using Planner.Roadmaps;

namespace Planner.Scheduling;

/// <summary>Serial schedule generation: takes initiatives one at a time — each once its predecessors are placed, the
/// one with the earliest dependency-only start first, then roadmap order — and puts it in the first week from which
/// every team it needs has enough free people for its whole duration. Fast (milliseconds for hundreds of items) and
/// always feasible when the roadmap can be scheduled at all; the starting point for optimisation.</summary>
public static class ListScheduler
{
    public static Schedule Schedule(Workspace workspace)
    {
        if (RoadmapValidator.FindCycle(workspace.Initiatives) is { } cycle)
            throw new ArgumentException($"Validate the roadmap first: dependency cycle {string.Join(" -> ", cycle)}.", nameof(workspace));

        var input = SchedulingInput.From(workspace);
        var n = input.Items.Count;
        var problems = new List<RoadmapProblem>();
        var start = new int?[n];
        var finish = new int[n];
        var usage = new CapacityLedger(input);

        var topo = input.TopologicalOrder();
        var priority = ForwardPassStarts(input, topo);
        var remainingPreds = input.Preds.Select(p => p.Count).ToArray();
        var successors = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < n; i++) foreach (var (pred, _) in input.Preds[i]) successors[pred].Add(i);
        var eligible = new SortedSet<(int Priority, int Index)>(Enumerable.Range(0, n).Where(i => remainingPreds[i] == 0).Select(i => (priority[i], i)));

        while (eligible.Count > 0)
        {
            var (_, i) = eligible.Min;
            eligible.Remove(eligible.Min);
            var item = input.Items[i];
            var ready = input.Release[i];
            foreach (var (pred, lag) in input.Preds[i]) ready = Math.Max(ready, finish[pred] + lag);

            int week;
            if (input.Locked[i] is { } locked)
            {
                week = locked;
                if (locked < ready)
                    problems.Add(new(item.Key, "lockedStart", $"Locked to start in week {locked}, but its dependencies or earliest start allow week {ready} at the soonest."));
                if (!usage.Fits(i, week))
                    problems.Add(new(item.Key, "lockedStart", $"Locked to start in week {locked}, when its teams do not have enough free people."));
            }
            else if (usage.FirstFit(i, ready) is { } fit)
            {
                week = fit;
            }
            else
            {
                problems.Add(new(item.Key, "demand", usage.WhyNeverFits(i)));
                week = ready; // shown where it would start; the schedule is marked infeasible by the problem
            }
            start[i] = week;
            finish[i] = week + input.Duration[i];
            usage.Add(i, week);
            foreach (var s in successors[i])
                if (--remainingPreds[s] == 0) eligible.Add((priority[s], s));
        }

        var items = new List<ScheduledItem>(n);
        for (var i = 0; i < n; i++)
        {
            items.Add(new ScheduledItem(input.Items[i].Key, start[i]!.Value, finish[i]));
            CheckDeadline(workspace, input.Items[i], finish[i], problems);
        }
        return new Schedule(items, problems);
    }

    /// <summary>Earliest starts from dependencies, releases and locks alone (no capacity): the priority rule.</summary>
    private static int[] ForwardPassStarts(SchedulingInput input, int[] topo)
    {
        var est = new int[input.Items.Count];
        foreach (var i in topo)
        {
            var s = input.Locked[i] ?? input.Release[i];
            foreach (var (pred, lag) in input.Preds[i]) s = Math.Max(s, est[pred] + input.Duration[pred] + lag);
            est[i] = input.Locked[i] ?? s;
        }
        return est;
    }

    internal static void CheckDeadline(Workspace workspace, Initiative item, int finishWeek, List<RoadmapProblem> problems)
    {
        if (item.Deadline is not { } deadline) return;
        // The work occupies weeks [start, finish): it is done by the day before week `finish` begins.
        var doneBy = workspace.WeekStart(finishWeek).AddDays(item.IsMilestone ? 0 : -1);
        if (doneBy <= deadline) return;
        var late = (int)Math.Ceiling((doneBy.DayNumber - deadline.DayNumber) / 7.0);
        problems.Add(new(item.Key, "deadline",
            $"{(item.DeadlineIsHard ? "Misses its hard deadline" : "Misses its deadline")} {deadline:yyyy-MM-dd} by {late} week{(late == 1 ? "" : "s")} (done {doneBy:yyyy-MM-dd})."));
    }
}
