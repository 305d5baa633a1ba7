namespace Planner.Scheduling;

/// <summary>People already booked per team per week, against each week's capacity.</summary>
internal sealed class CapacityLedger(SchedulingInput input)
{
    private readonly List<int[]> used = [];   // [week][team]

    private int Used(int week, int team) => week < used.Count ? used[week][team] : 0;

    private int LastBookedWeek => used.Count;

    public bool Fits(int item, int week)
    {
        for (var w = week; w < week + input.Duration[item]; w++)
            for (var t = 0; t < input.Teams.Length; t++)
                if (input.Demand[item][t] > 0 && Used(w, t) + input.Demand[item][t] > input.CapacityAt(t, w)) return false;
        return true;
    }

    /// <summary>The first week at or after <paramref name="from"/> where the item fits, or null if it never will.</summary>
    public int? FirstFit(int item, int from)
    {
        // Past the last booking and the last capacity change nothing changes any more, so one try there decides.
        var stable = Math.Max(LastBookedWeek, input.CapacityChangeWeeks.LastOrDefault());
        for (var week = from; ; week++)
        {
            if (Fits(item, week)) return week;
            if (week > stable) return null;
        }
    }

    public void Add(int item, int week)
    {
        for (var w = week; w < week + input.Duration[item]; w++)
        {
            while (used.Count <= w) used.Add(new int[input.Teams.Length]);
            for (var t = 0; t < input.Teams.Length; t++) used[w][t] += input.Demand[item][t];
        }
    }

    public string WhyNeverFits(int item)
    {
        for (var t = 0; t < input.Teams.Length; t++)
        {
            var need = input.Demand[item][t];
            var peak = input.Teams[t].PeakCapacity;
            if (need > peak)
                return $"Needs {need} people of {input.Teams[t].Name}, which never has more than {peak}.";
        }
        return "Its teams never have enough free people at the same time for its whole duration.";
    }
}
