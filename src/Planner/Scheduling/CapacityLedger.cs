namespace Planner.Scheduling;

/// <summary>People already booked per team per week, against each week's capacity.</summary>
internal sealed class CapacityLedger(SchedulingInput input)
{
    private readonly List<int[]> used = [];   // [week][team]

    private int Used(int week, int team) => week < used.Count ? used[week][team] : 0;

    public int BookedWeeks => used.Count;

    public bool Fits(int item, int week)
    {
        if (week < 0) return false;
        var teams = input.DemandTeams[item];
        for (var w = week; w < checked(week + input.Duration[item]); w++)
            foreach (var t in teams)
                if (Used(w, t) + input.Demand[item][t] > input.CapacityAt(t, w)) return false;
        return true;
    }

    /// <summary>The first week at or after <paramref name="from"/> where the item fits, or null if it never will.</summary>
    public int? FirstFit(int item, int from)
    {
        // Past the last booking and the last capacity change nothing changes any more, so one try there decides.
        var stable = Math.Max(BookedWeeks, input.LastCapacityChangeWeek);
        for (var week = Math.Max(0, from); ; week++)
        {
            if (Fits(item, week)) return week;
            if (week > stable) return null;
        }
    }

    /// <summary>The latest week in [<paramref name="earliest"/>, <paramref name="latest"/>] where the item fits, or null.</summary>
    public int? LastFit(int item, int earliest, int latest)
    {
        for (var week = latest; week >= Math.Max(0, earliest); week--)
            if (Fits(item, week)) return week;
        return null;
    }

    public void Add(int item, int week) => Book(item, week, +1);

    public void Remove(int item, int week) => Book(item, week, -1);

    private void Book(int item, int week, int sign)
    {
        for (var w = week; w < checked(week + input.Duration[item]); w++)
        {
            while (used.Count <= w) used.Add(new int[input.Teams.Length]);
            foreach (var t in input.DemandTeams[item]) used[w][t] += sign * input.Demand[item][t];
        }
    }

    public string WhyNeverFits(int item)
    {
        foreach (var t in input.DemandTeams[item])
        {
            var need = input.Demand[item][t];
            var peak = input.Teams[t].PeakCapacity;
            if (need > peak) return $"Needs {need} people of {input.Teams[t].Name}, which never has more than {peak}.";
        }
        return "Its teams never have enough free people at the same time for its whole duration.";
    }
}
