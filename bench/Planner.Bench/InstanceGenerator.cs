using Planner.Roadmaps;

namespace Planner.Bench;

/// <summary>Random roadmaps shaped like real ones: initiatives come in epics of about eight that depend on one another
/// (about 0.9 dependencies per initiative, within the epic, some with a week's lag); most work needs one or two teams
/// for 1–10 weeks; a few hires and departures; team sizes set so the work fills roughly the target number of weeks,
/// so team capacity, not dependency chains, decides the end date — the hard case.</summary>
public static class InstanceGenerator
{
    public static Workspace Create(int items, int teams, int targetWeeks, int seed)
    {
        var random = new Random(seed);
        var w = new Workspace { Name = $"bench-{items}x{teams}", PlanningStart = new DateOnly(2027, 1, 4) };
        var load = new double[teams];
        var initiatives = new List<Initiative>(items);
        for (var i = 0; i < items; i++)
        {
            var item = new Initiative { Key = $"i{i}", Title = $"Initiative {i}", DurationWeeks = random.Next(1, 11) };
            var teamCount = random.NextDouble() < 0.6 ? 1 : 2;
            foreach (var t in Enumerable.Range(0, teams).OrderBy(_ => random.Next()).Take(teamCount))
            {
                var people = random.Next(1, 4);
                item.Demand.Add(new TeamDemand($"t{t}", people));
                load[t] += people * item.DurationWeeks!.Value;
            }
            var epicStart = i / 8 * 8;
            var deps = i == epicStart ? 0 : random.NextDouble() < 0.75 ? random.Next(1, 3) : 0;
            for (var d = 0; d < deps; d++)
            {
                var pred = $"i{random.Next(epicStart, i)}";
                if (item.Dependencies.All(x => x.PredecessorKey != pred)) item.Dependencies.Add(new Dependency(pred, random.Next(0, 4) == 0 ? 1 : 0));
            }
            (item.Reach, item.Impact, item.Confidence, item.Effort) = (random.Next(10, 2000), new[] { 0.5, 1, 2, 3 }[random.Next(4)], 0.8, item.DurationWeeks!.Value * 2.0);
            initiatives.Add(item);
        }
        for (var t = 0; t < teams; t++)
        {
            var capacity = Math.Max(3, (int)Math.Ceiling(load[t] / (targetWeeks * 0.85)));
            var team = new Team { Key = $"t{t}", Name = $"Team {t}", Capacity = capacity };
            if (random.NextDouble() < 0.3) team.CapacityChanges.Add(new CapacityChange(w.WeekStart(random.Next(4, targetWeeks / 2)), capacity + (random.Next(2) == 0 ? 1 : -1)));
            w.Teams.Add(team);
        }
        w.Initiatives = initiatives;
        return w;
    }
}
