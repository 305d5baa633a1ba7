using Planner.Roadmaps;

namespace Planner.Scheduling;

/// <summary>What a schedule means for the teams: utilisation per team per week, the critical chain that sets the
/// end date, and why each missed deadline is missed.</summary>
public sealed record ScheduleAnalysis(
    IReadOnlyList<TeamUtilisation> Utilisation,
    IReadOnlyList<CriticalLink> CriticalPath,
    IReadOnlyList<RoadmapProblem> DeadlineReasons)
{
    public static ScheduleAnalysis Of(Workspace workspace, Schedule schedule)
    {
        var weeks = schedule.MakespanWeeks;
        var items = schedule.Items.Select(s => (s, i: workspace.FindInitiative(s.Key)!)).ToList();
        var utilisation = workspace.Teams.Select(team =>
        {
            var booked = new int[weeks];
            var capacity = new int[weeks];
            for (var w = 0; w < weeks; w++) capacity[w] = team.CapacityOn(workspace.WeekStart(w));
            foreach (var (s, i) in items)
            {
                var people = i.Demand.Where(d => d.TeamKey == team.Key).Sum(d => d.People);
                for (var w = s.StartWeek; w < s.FinishWeek && w < weeks; w++) booked[w] += people;
            }
            return new TeamUtilisation(team.Key, team.Name, booked, capacity);
        }).ToList();
        return new ScheduleAnalysis(utilisation, CriticalChain(workspace, schedule), ExplainMissedDeadlines(workspace, schedule, utilisation));
    }

    /// <summary>Walks back from the last finisher: each link waits either for a dependency (finish + lag = start)
    /// or, failing that, for people of a team (another item of that team finishes when it starts).</summary>
    private static List<CriticalLink> CriticalChain(Workspace workspace, Schedule schedule)
    {
        var links = new List<CriticalLink>();
        var byKey = schedule.Items.ToDictionary(s => s.Key);
        var current = schedule.Items.OrderByDescending(s => s.FinishWeek).ThenBy(s => s.Key, StringComparer.Ordinal).FirstOrDefault();
        var seen = new HashSet<string>();
        while (current is not null && seen.Add(current.Key))
        {
            var item = workspace.FindInitiative(current.Key)!;
            var dependency = item.Dependencies
                .Where(d => byKey.TryGetValue(d.PredecessorKey, out var p) && checked(p.FinishWeek + d.LagWeeks) == current.StartWeek)
                .Select(d => byKey[d.PredecessorKey]).FirstOrDefault();
            if (dependency is not null)
            {
                links.Add(new CriticalLink(current.Key, current.StartWeek, current.FinishWeek, $"waits for {dependency.Key}"));
                current = dependency;
                continue;
            }
            var teams = item.Demand.Select(d => d.TeamKey).ToHashSet();
            var blocker = current.StartWeek == 0 ? null : schedule.Items
                .Where(s => s.Key != current.Key && s.FinishWeek == current.StartWeek && workspace.FindInitiative(s.Key)!.Demand.Any(d => teams.Contains(d.TeamKey)))
                .OrderBy(s => s.Key, StringComparer.Ordinal).FirstOrDefault();
            var why = blocker is not null
                ? $"waits for {string.Join("/", workspace.FindInitiative(blocker.Key)!.Demand.Where(d => teams.Contains(d.TeamKey)).Select(d => workspace.FindTeam(d.TeamKey)!.Name))} capacity held by {blocker.Key}"
                : current.StartWeek == 0 ? "starts at the beginning" : "starts at its earliest start";
            links.Add(new CriticalLink(current.Key, current.StartWeek, current.FinishWeek, why));
            current = blocker;
        }
        links.Reverse();
        return links;
    }

    private static List<RoadmapProblem> ExplainMissedDeadlines(Workspace workspace, Schedule schedule, List<TeamUtilisation> utilisation)
    {
        var reasons = new List<RoadmapProblem>();
        foreach (var s in schedule.Items)
        {
            var item = workspace.FindInitiative(s.Key)!;
            if (ScheduleReport.DeadlineProblem(workspace, item, s.FinishWeek) is null) continue;
            var ready = item.Dependencies.Select(d => schedule.Find(d.PredecessorKey) is { } p ? checked(p.FinishWeek + d.LagWeeks) : 0)
                .Append(item.EarliestStart is { } e ? Math.Max(0, workspace.WeekOf(e)) : 0).Max();
            string reason;
            if (s.StartWeek == ready)
            {
                reason = ready == 0 ? "Its duration alone runs past the deadline."
                    : $"Its dependencies finish in week {ready}; it starts right then and still ends in week {s.FinishWeek}.";
            }
            else
            {
                var full = utilisation.Where(u => item.Demand.Any(d => d.TeamKey == u.TeamKey))
                    .Where(u => Enumerable.Range(ready, Math.Max(0, s.StartWeek - ready)).Any(w => w < u.Booked.Count && u.Booked[w] + item.Demand.First(d => d.TeamKey == u.TeamKey).People > u.Capacity[w]))
                    .Select(u => u.TeamName).ToList();
                reason = $"Ready in week {ready} but waits until week {s.StartWeek} for capacity" + (full.Count > 0 ? $" ({string.Join(", ", full)} fully booked)." : ".");
            }
            reasons.Add(new RoadmapProblem(item.Key, "deadline", reason));
        }
        return reasons;
    }
}

/// <summary>People booked against capacity for one team, week by week.</summary>
public sealed record TeamUtilisation(string TeamKey, string TeamName, IReadOnlyList<int> Booked, IReadOnlyList<int> Capacity)
{
    public double Average => Capacity.Sum() == 0 ? 0 : (double)Booked.Sum() / Capacity.Sum();
}

/// <summary>One initiative on the critical chain and what it waits for.</summary>
public sealed record CriticalLink(string Key, int StartWeek, int FinishWeek, string Reason);
