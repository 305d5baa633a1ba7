using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Tests.Scheduling;

public class ListSchedulerTests
{
    [Fact]
    public void The_sample_roadmap_gets_a_schedule_that_passes_every_check()
    {
        var sample = Samples.Sample();
        var schedule = ListScheduler.Schedule(sample);
        // The list heuristic may miss a hard deadline (the optimiser's job); it must then say so, and break nothing else.
        var violations = ScheduleVerifier.Violations(sample, schedule);
        var missedHard = violations.Where(v => v.EndsWith("misses its hard deadline.", StringComparison.Ordinal)).Select(v => v.Split(' ')[0]).ToList();
        Assert.Equal(violations.Count, missedHard.Count);
        Assert.All(missedHard, key => Assert.Contains(schedule.Problems, p => p.Item == key && p.Field == "deadline"));
        Assert.Equal(sample.Initiatives.Count(i => i.Status is not (InitiativeStatus.Done or InitiativeStatus.Dropped)), schedule.Items.Count);
        Assert.DoesNotContain(schedule.Problems, p => p.Field == "demand");
    }

    [Fact]
    public void Work_waits_for_capacity_and_for_dependencies_with_lag()
    {
        // Backend has 4 people. i1 and i2 each need 3 of them, so they cannot overlap; i3 follows i1 after 2 weeks' lag.
        var w = Samples.Small();
        w.Initiatives =
        [
            Samples.Item("i1", 3, ("be", 3)),
            Samples.Item("i2", 2, ("be", 3)),
            Samples.Item("i3", 1, ("fe", 1)),
        ];
        w.Initiatives[2].Dependencies = [new Dependency("i1", 2)];
        var s = ListScheduler.Schedule(w);
        Assert.Equal(new ScheduledItem("i1", 0, 3), s.Find("i1"));
        Assert.Equal(new ScheduledItem("i2", 3, 5), s.Find("i2"));
        Assert.Equal(new ScheduledItem("i3", 5, 6), s.Find("i3"));
        Assert.Empty(ScheduleVerifier.Violations(w, s));
    }

    [Fact]
    public void A_hire_lets_work_start_when_the_person_arrives()
    {
        var w = Samples.Small();
        w.Teams[1].CapacityChanges = [new CapacityChange(w.WeekStart(6), 3)];
        w.Initiatives = [Samples.Item("big", 2, ("fe", 3))];
        var s = ListScheduler.Schedule(w);
        Assert.Equal(6, s.Find("big")!.StartWeek);
        Assert.Empty(s.Problems);
    }

    [Fact]
    public void Demand_above_any_capacity_is_explained()
    {
        var w = Samples.Small();
        w.Initiatives = [Samples.Item("i7", 2, ("be", 5))];
        var problem = Assert.Single(ListScheduler.Schedule(w).Problems);
        Assert.Equal("Needs 5 people of Backend, which never has more than 4.", problem.Message);
    }

    [Fact]
    public void Deadlines_that_cannot_be_met_are_reported()
    {
        var w = Samples.Small();
        w.Initiatives = [Samples.Item("a", 4, ("fe", 2)), Samples.Item("b", 2, ("fe", 2))];
        w.Initiatives[1].Dependencies = [new Dependency("a")];
        w.Initiatives[1].Deadline = w.WeekStart(4); // b can only start in week 4, finishing at the end of week 5
        w.Initiatives[1].DeadlineIsHard = true;
        var problem = Assert.Single(ListScheduler.Schedule(w).Problems);
        Assert.Equal("b", problem.Item);
        Assert.Contains("Misses its hard deadline 2027-02-01 by 2 weeks", problem.Message);
    }

    [Fact]
    public void Done_work_takes_no_capacity_and_does_not_hold_up_dependants()
    {
        var w = Samples.Small();
        w.Initiatives[0].Status = InitiativeStatus.Done;
        w.Initiatives[2].Dependencies = [new Dependency("i1")];
        var s = ListScheduler.Schedule(w);
        Assert.Null(s.Find("i1"));
        Assert.Equal(0, s.Find("i3")!.StartWeek);
    }

    [Fact]
    public void Random_roadmaps_never_exceed_capacity_and_respect_every_dependency()
    {
        var random = new Random(20261129);
        for (var round = 0; round < 200; round++)
        {
            var w = RandomRoadmap(random, items: random.Next(1, 40), teams: random.Next(1, 5));
            var schedule = ListScheduler.Schedule(w);
            var violations = ScheduleVerifier.Violations(w, schedule);
            Assert.True(violations.Count == 0, $"round {round}: {string.Join("; ", violations)}");
            Assert.Empty(schedule.Problems);
            Assert.True(schedule.MakespanWeeks >= CriticalPathWeeks(w), $"round {round}: below the critical-path bound");
        }
    }

    private static int CriticalPathWeeks(Workspace w)
    {
        var finish = new Dictionary<string, int>();
        int Finish(Initiative i) => finish.TryGetValue(i.Key, out var f) ? f : finish[i.Key] =
            i.Dependencies.Select(d => Finish(w.FindInitiative(d.PredecessorKey)!) + d.LagWeeks).DefaultIfEmpty(0).Max() + i.ResolvedDurationWeeks!.Value;
        return w.Initiatives.Select(Finish).DefaultIfEmpty(0).Max();
    }

    internal static Workspace RandomRoadmap(Random random, int items, int teams)
    {
        var w = new Workspace { Name = "random", PlanningStart = new DateOnly(2027, 1, 4) };
        for (var t = 0; t < teams; t++)
        {
            var team = new Team { Key = $"t{t}", Name = $"Team {t}", Capacity = random.Next(1, 6) };
            if (random.Next(3) == 0) team.CapacityChanges.Add(new CapacityChange(w.WeekStart(random.Next(1, 20)), random.Next(1, 7)));
            w.Teams.Add(team);
        }
        for (var i = 0; i < items; i++)
        {
            var item = Samples.Item($"i{i}", random.Next(0, 8));
            foreach (var team in w.Teams.Where(_ => random.Next(3) == 0))
                item.Demand.Add(new TeamDemand(team.Key, random.Next(1, Math.Min(team.Capacity, team.CapacityChanges.Select(c => c.Capacity).DefaultIfEmpty(9).Min()) + 1)));
            for (var d = 0; d < random.Next(0, 3) && i > 0; d++)
            {
                var pred = $"i{random.Next(0, i)}";
                if (item.Dependencies.All(x => x.PredecessorKey != pred)) item.Dependencies.Add(new Dependency(pred, random.Next(0, 3)));
            }
            if (random.Next(5) == 0) item.EarliestStart = w.WeekStart(random.Next(0, 10));
            w.Initiatives.Add(item);
        }
        return w;
    }
}
