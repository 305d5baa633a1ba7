namespace Planner.Scheduling;

/// <summary>Bounds no schedule can beat, computed without search: the longest dependency chain (with releases,
/// lags and locks), and for each team the first week by which its capacity could have covered all its work.</summary>
internal static class LowerBounds
{
    public static long Compute(SchedulingInput input, ScheduleObjective objective)
    {
        if (input.Count == 0) return 0;
        var est = input.EarliestStarts();
        if (objective == ScheduleObjective.Weighted)
            return Enumerable.Range(0, input.Count).Sum(i => (long)input.Weight[i] * (est[i] + input.Duration[i]));

        long bound = Enumerable.Range(0, input.Count).Max(i => est[i] + input.Duration[i]);
        for (var t = 0; t < input.Teams.Length; t++)
        {
            long work = 0;
            for (var i = 0; i < input.Count; i++) work += (long)input.Demand[i][t] * input.Duration[i];
            if (work == 0) continue;
            // Week by week until capacity stops changing, then arithmetic: capacity is constant from there on.
            long covered = 0;
            var week = 0;
            var stable = input.LastCapacityChangeWeek + 1;
            while (covered < work && week < stable) covered += input.CapacityAt(t, week++);
            if (covered < work)
            {
                var cap = input.CapacityAt(t, stable);
                if (cap == 0) continue; // never enough: reported by the schedulers
                week += (int)Math.Min(int.MaxValue / 2, (work - covered + cap - 1) / cap);
            }
            bound = Math.Max(bound, week);
        }
        return bound;
    }
}
