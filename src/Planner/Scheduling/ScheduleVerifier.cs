using Planner.Roadmaps;

namespace Planner.Scheduling;

/// <summary>Checks a schedule against the roadmap from first principles — every dependency and lag, earliest
/// starts, locks, hard deadlines, and every team's capacity in every week — independently of how it was made.
/// Tests use it as the oracle for every scheduler.</summary>
public static class ScheduleVerifier
{
    public static IReadOnlyList<string> Violations(Workspace workspace, Schedule schedule)
    {
        var violations = new List<string>();
        var active = workspace.Initiatives.Where(i => i.Status is not (InitiativeStatus.Done or InitiativeStatus.Dropped)).ToList();
        var byKey = schedule.Items.ToDictionary(i => i.Key);
        foreach (var item in active)
        {
            if (!byKey.TryGetValue(item.Key, out var s)) { violations.Add($"{item.Key} is not scheduled."); continue; }
            var duration = workspace.PlannedWeeks(item);
            if (s.FinishWeek - s.StartWeek != duration) violations.Add($"{item.Key} runs {s.FinishWeek - s.StartWeek} weeks, not {duration}.");
            if (s.StartWeek < 0) violations.Add($"{item.Key} starts before the planning start.");
            if (item.EarliestStart is { } e && s.StartWeek < workspace.WeekOf(e)) violations.Add($"{item.Key} starts before its earliest start.");
            if (item.LockedStart is { } l && s.StartWeek != Math.Max(0, workspace.WeekOf(l))) violations.Add($"{item.Key} does not start in its locked week.");
            if (item.Deadline is { } d && item.DeadlineIsHard && workspace.WeekStart(s.FinishWeek).AddDays(duration == 0 ? 0 : -1) > d)
                violations.Add($"{item.Key} misses its hard deadline.");
            foreach (var dep in item.Dependencies)
            {
                if (byKey.TryGetValue(dep.PredecessorKey, out var p) && s.StartWeek < checked(p.FinishWeek + dep.LagWeeks))
                    violations.Add($"{item.Key} starts in week {s.StartWeek}, before {dep.PredecessorKey} finishes (week {p.FinishWeek}) plus {dep.LagWeeks} weeks' lag.");
            }
        }

        var horizon = schedule.Items.Count == 0 ? 0 : schedule.Items.Max(i => i.FinishWeek);
        foreach (var team in workspace.Teams)
        {
            for (var week = 0; week < horizon; week++)
            {
                var booked = active.Where(i => byKey.TryGetValue(i.Key, out var s) && s.StartWeek <= week && week < s.FinishWeek)
                    .Sum(i => i.Demand.Where(d => d.TeamKey == team.Key).Sum(d => d.People));
                var capacity = team.CapacityOn(workspace.WeekStart(week));
                if (booked > capacity) violations.Add($"{team.Name} has {booked} people booked in week {week} but only {capacity}.");
            }
        }
        return violations;
    }
}
