using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Tests.Scheduling;

public class CpSatSchedulerTests
{
    private static readonly SchedulerOptions Fast = new() { TimeLimit = TimeSpan.FromSeconds(5), Workers = 2 };

    private static Workspace OneTeam(int capacity, params Initiative[] items) => new()
    {
        Name = "t",
        PlanningStart = new DateOnly(2027, 1, 4),
        Teams = [new Team { Key = "be", Name = "Backend", Capacity = capacity }],
        Initiatives = [.. items],
    };

    [Fact]
    public void A_small_instance_is_solved_to_its_hand_computed_optimum()
    {
        // Capacity 2. y needs both people for a week and unlocks z; x and z can then run side by side: 1 + 3 = 4 weeks.
        var x = Samples.Item("x", 3, ("be", 1));
        var y = Samples.Item("y", 1, ("be", 2));
        var z = Samples.Item("z", 3, ("be", 1));
        z.Dependencies = [new Dependency("y")];
        var w = OneTeam(2, x, y, z);
        var s = new CpSatScheduler().Schedule(w, Fast);
        Assert.Equal(ScheduleStatus.Optimal, s.Status);
        Assert.Equal(4, s.MakespanWeeks);
        Assert.Equal(4, s.LowerBound);
        Assert.Equal(0, s.Gap);
        Assert.Equal(new ScheduledItem("y", 0, 1), s.Find("y"));
        Assert.Empty(ScheduleVerifier.Violations(w, s));
    }

    [Fact]
    public void The_weighted_objective_puts_valuable_short_work_first()
    {
        var big = Samples.Item("big", 4, ("be", 1));
        (big.Reach, big.Impact, big.Confidence, big.Effort) = (10, 1, 1, 4);
        var quick = Samples.Item("quick", 1, ("be", 1));
        (quick.Reach, quick.Impact, quick.Confidence, quick.Effort) = (1000, 3, 1, 1);
        var w = OneTeam(1, big, quick);
        var makespan = new CpSatScheduler().Schedule(w, Fast);
        var weighted = new CpSatScheduler().Schedule(w, Fast with { Objective = ScheduleObjective.Weighted });
        Assert.Equal(5, makespan.MakespanWeeks);
        Assert.Equal(ScheduleStatus.Optimal, weighted.Status);
        Assert.Equal(new ScheduledItem("quick", 0, 1), weighted.Find("quick"));
        Assert.Equal(new ScheduledItem("big", 1, 5), weighted.Find("big"));
        Assert.Equal(100 * 1 + 50 * 5, weighted.ObjectiveValue); // weights by rank: 100 and 50
    }

    [Fact]
    public void Going_first_overrides_the_ranking()
    {
        var a = Samples.Item("a", 2, ("be", 1));
        (a.Reach, a.Impact, a.Confidence, a.Effort) = (1000, 3, 1, 1);
        var b = Samples.Item("b", 2, ("be", 1));
        var s = new CpSatScheduler().Schedule(OneTeam(1, a, b), Fast with { Objective = ScheduleObjective.Weighted, First = ["b"] });
        Assert.Equal(0, s.Find("b")!.StartWeek);
    }

    [Fact]
    public void Capacity_that_grows_later_is_respected()
    {
        var w = OneTeam(1, Samples.Item("wide", 2, ("be", 3)), Samples.Item("narrow", 3, ("be", 1)));
        w.Teams[0].CapacityChanges = [new CapacityChange(w.WeekStart(5), 3)];
        var s = new CpSatScheduler().Schedule(w, Fast);
        Assert.Equal(5, s.Find("wide")!.StartWeek);
        Assert.Equal(7, s.MakespanWeeks);
        Assert.Empty(ScheduleVerifier.Violations(w, s));
    }

    [Fact]
    public void Hard_deadlines_and_locks_are_kept_when_possible()
    {
        var late = Samples.Item("late", 3, ("be", 1));
        var urgent = Samples.Item("urgent", 2, ("be", 1));
        var w = OneTeam(1, late, urgent);
        urgent.Deadline = w.WeekStart(2).AddDays(-1);
        urgent.DeadlineIsHard = true;
        late.LockedStart = w.WeekStart(2);
        var s = new CpSatScheduler().Schedule(w, Fast);
        Assert.NotEqual(ScheduleStatus.Infeasible, s.Status);
        Assert.Equal(new ScheduledItem("urgent", 0, 2), s.Find("urgent"));
        Assert.Equal(new ScheduledItem("late", 2, 5), s.Find("late"));
        Assert.Empty(ScheduleVerifier.Violations(w, s));
    }

    [Fact]
    public void An_impossible_hard_deadline_is_infeasible_and_explained_with_the_chain()
    {
        var a = Samples.Item("a", 4, ("be", 1));
        var b = Samples.Item("b", 3, ("be", 1));
        b.Dependencies = [new Dependency("a", 1)];
        var w = OneTeam(2, a, b);
        b.Deadline = w.WeekStart(6);
        b.DeadlineIsHard = true;
        var s = new CpSatScheduler().Schedule(w, Fast);
        Assert.Equal(ScheduleStatus.Infeasible, s.Status);
        Assert.Contains(s.Problems, p => p.Item == "b" && p.Message.Contains("its dependencies (a -> b) let it finish in week 8 at the soonest"));
    }

    [Fact]
    public void Demand_above_capacity_is_infeasible_and_names_the_team()
    {
        var s = new CpSatScheduler().Schedule(OneTeam(4, Samples.Item("i7", 2, ("be", 5))), Fast);
        Assert.Equal(ScheduleStatus.Infeasible, s.Status);
        Assert.Equal("Needs 5 people of Backend, which never has more than 4.", Assert.Single(s.Problems).Message);
    }

    [Fact]
    public void An_empty_roadmap_is_an_empty_optimal_schedule()
    {
        var s = new CpSatScheduler().Schedule(OneTeam(1), Fast);
        Assert.Equal(ScheduleStatus.Optimal, s.Status);
        Assert.Empty(s.Items);
    }

    [Fact]
    public void Random_instances_are_feasible_never_worse_than_the_heuristic_and_above_the_bound()
    {
        var random = new Random(7);
        for (var round = 0; round < 25; round++)
        {
            var w = ListSchedulerTests.RandomRoadmap(random, items: random.Next(5, 30), teams: random.Next(1, 4));
            var heuristic = ListScheduler.Schedule(w);
            var solved = new CpSatScheduler().Schedule(w, Fast with { TimeLimit = TimeSpan.FromSeconds(1) });
            Assert.Empty(ScheduleVerifier.Violations(w, solved));
            Assert.True(solved.MakespanWeeks <= heuristic.MakespanWeeks, $"round {round}");
            Assert.True(solved.LowerBound <= solved.MakespanWeeks, $"round {round}");
            Assert.NotEqual(ScheduleStatus.Infeasible, solved.Status);
        }
    }

    [Fact]
    public void The_sample_roadmap_is_scheduled_with_its_hard_deadlines_met()
    {
        var sample = Samples.Sample();
        var s = new CpSatScheduler().Schedule(sample, Fast);
        Assert.Empty(ScheduleVerifier.Violations(sample, s));
        Assert.NotEqual(ScheduleStatus.Infeasible, s.Status);
        Assert.True(s.MakespanWeeks <= ListScheduler.Schedule(sample).MakespanWeeks);
        var analysis = ScheduleAnalysis.Of(sample, s);
        Assert.Equal(s.MakespanWeeks, analysis.CriticalPath[^1].FinishWeek);
        Assert.All(analysis.Utilisation, u => Assert.All(u.Booked.Zip(u.Capacity), p => Assert.True(p.First <= p.Second)));
    }
}
