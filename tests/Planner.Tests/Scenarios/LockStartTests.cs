using Planner.Roadmaps;
using Planner.Scenarios;
using Planner.Scheduling;

namespace Planner.Tests.Scenarios;

/// <summary>Moving an initiative on the Gantt: its start is locked to the week it was dropped on and the plan is
/// re-solved around it, on a copy.</summary>
public class LockStartTests
{
    private static readonly ScenarioRunner Runner = new(new CpSatScheduler());
    private static readonly SchedulerOptions Options = new() { TimeLimit = TimeSpan.FromSeconds(5), Workers = 2 };

    /// <summary>Backend b1 -> b2 (2 people, 3 weeks each) beside Frontend f1 -> f2 (1 person, 4 weeks each).</summary>
    private static Workspace TwoChains()
    {
        var w = Samples.Small();
        w.Initiatives =
        [
            Samples.Item("b1", 3, ("be", 2)), Samples.Item("b2", 3, ("be", 2)),
            Samples.Item("f1", 4, ("fe", 1)), Samples.Item("f2", 4, ("fe", 1)),
        ];
        w.Initiatives[1].Dependencies = [new Dependency("b1")];
        w.Initiatives[3].Dependencies = [new Dependency("f1")];
        return w;
    }

    [Fact]
    public void Moving_an_initiative_later_moves_its_successors_and_nothing_else()
    {
        var w = TwoChains();
        var moved = Runner.Run(w, [new LockStart("f1", 2)], Options);

        Assert.True(moved.Ok, moved.Summary);
        Assert.Equal(new ScheduledItem("f1", 2, 6), moved.ScenarioSchedule.Find("f1"));
        Assert.Equal(new Dictionary<string, int?> { ["f1"] = 2, ["f2"] = 2 }, moved.Diff.Moved.ToDictionary(i => i.Key, i => i.StartDelta));
        Assert.Equal(new DateOnly(2027, 1, 18), moved.Scenario.FindInitiative("f1")!.LockedStart);
        Assert.Null(w.FindInitiative("f1")!.LockedStart); // the real roadmap is untouched until saved
    }

    [Fact]
    public void Moving_an_initiative_before_its_predecessor_is_refused_with_the_reason()
    {
        var moved = Runner.Run(TwoChains(), [new LockStart("b2", 1)], Options);

        Assert.Equal(ScheduleStatus.Infeasible, moved.ScenarioSchedule.Status);
        Assert.Contains(moved.ScenarioSchedule.Problems, p => p.Item == "b2" && p.Field == "lockedStart" && p.Message.Contains("week 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Moving_an_initiative_so_a_successor_misses_a_hard_deadline_is_infeasible()
    {
        var w = TwoChains();
        w.Initiatives[3].Deadline = new DateOnly(2027, 3, 7); // f2 may finish by week 9
        w.Initiatives[3].DeadlineIsHard = true;

        Assert.NotEqual(ScheduleStatus.Infeasible, Runner.Run(w, [new LockStart("f1", 1)], Options).ScenarioSchedule.Status);
        var late = Runner.Run(w, [new LockStart("f1", 2)], Options);
        Assert.Equal(ScheduleStatus.Infeasible, late.ScenarioSchedule.Status);
    }

    [Fact]
    public void A_week_before_the_planning_start_or_an_unknown_initiative_is_a_problem_not_an_exception()
    {
        Assert.Contains("before the planning start", Runner.Run(TwoChains(), [new LockStart("f1", -1)], Options).Summary);
        Assert.Contains("There is no initiative 'zz'", Runner.Run(TwoChains(), [new LockStart("zz", 1)], Options).Summary);
    }
}
