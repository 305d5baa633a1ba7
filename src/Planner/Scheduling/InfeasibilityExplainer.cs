using Planner.Roadmaps;

namespace Planner.Scheduling;

/// <summary>Says why no schedule exists, naming the item, the team or date, and the constraint.</summary>
internal static class InfeasibilityExplainer
{
    public static List<RoadmapProblem> Explain(Workspace workspace, SchedulingInput input)
    {
        var problems = new List<RoadmapProblem>();
        var est = input.EarliestStarts();
        for (var i = 0; i < input.Count; i++)
        {
            var item = input.Items[i];
            foreach (var t in input.DemandTeams[i])
                if (input.Demand[i][t] > input.Teams[t].PeakCapacity)
                    problems.Add(new(item.Key, "demand", $"Needs {input.Demand[i][t]} people of {input.Teams[t].Name}, which never has more than {input.Teams[t].PeakCapacity}."));

            var earliestFinish = est[i] + input.Duration[i];
            if (input.LatestFinish[i] is { } lf && earliestFinish > lf)
            {
                var chain = Chain(input, est, i);
                problems.Add(new(item.Key, "deadline", $"Must be done by {item.Deadline:yyyy-MM-dd} (week {lf}), but " +
                    (chain.Count > 1 ? $"its dependencies ({string.Join(" -> ", chain)}) let it finish in week {earliestFinish} at the soonest."
                                     : $"its earliest start and duration let it finish in week {earliestFinish} at the soonest.")));
            }
            if (input.Locked[i] is { } locked)
            {
                var ready = input.Release[i];
                foreach (var (p, lag) in input.Preds[i]) ready = Math.Max(ready, est[p] + input.Duration[p] + lag);
                if (locked < ready)
                    problems.Add(new(item.Key, "lockedStart", $"Locked to start in week {locked}, but its dependencies finish in week {ready} at the soonest."));
            }
        }
        if (problems.Count == 0)
        {
            var hard = Enumerable.Range(0, input.Count).Where(i => input.LatestFinish[i] is not null).Select(i => input.Items[i].Key).ToList();
            problems.Add(new(null, "deadline", hard.Count > 0
                ? $"The teams' capacity cannot meet all hard deadlines together ({string.Join(", ", hard)}); make one of them soft or move it, or add capacity."
                : "The locked starts and the teams' capacity cannot all be satisfied together; unlock an initiative or add capacity."));
        }
        return problems;
    }

    /// <summary>The dependency chain that sets the item's earliest start: predecessors whose finish (plus lag) is it.</summary>
    private static List<string> Chain(SchedulingInput input, int[] est, int i)
    {
        var chain = new List<string> { input.Items[i].Key };
        while (true)
        {
            var binding = input.Preds[i].Where(p => est[p.Pred] + input.Duration[p.Pred] + p.Lag == est[i]).Select(p => p.Pred).FirstOrDefault(-1);
            if (binding < 0) break;
            chain.Insert(0, input.Items[binding].Key);
            i = binding;
        }
        return chain;
    }
}
