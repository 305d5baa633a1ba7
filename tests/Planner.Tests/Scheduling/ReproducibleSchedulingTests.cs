using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Tests.Scheduling;

public class ReproducibleSchedulingTests
{
    [Fact]
    public void The_sample_roadmap_gets_the_same_plan_on_every_run()
    {
        // A wall-clock limit generous enough for the budget of deterministic work, not the clock, to end the search even
        // on a busy machine (the budget is small to keep the test short).
        var options = new SchedulerOptions { TimeLimit = TimeSpan.FromSeconds(120), Workers = 2, SolverParameters = "max_deterministic_time:0.2" };
        var plans = Enumerable.Range(0, 3).Select(_ => new CpSatScheduler().Schedule(Samples.Sample(), options)).ToList();
        Assert.All(plans, p => Assert.Equal(("cp-sat", ScheduleStatus.Optimal), (p.Method, p.Status)));
        Assert.All(plans[1..], p => Assert.Equal(plans[0].Items, p.Items));
        Assert.All(plans[1..], p => Assert.Equal(plans[0].LowerBound, p.LowerBound));
    }

    [Fact]
    public void A_search_cut_short_by_its_work_budget_gives_the_same_plan_on_every_run()
    {
        // Too hard to prove optimal in a small budget of deterministic work; the generous wall-clock limit never
        // ends it, so each run stops after the same work, whatever else the machine is doing.
        var w = Samples.Crowded(60, seed: 7);
        Assert.Empty(RoadmapValidator.Validate(w));
        var options = new SchedulerOptions { TimeLimit = TimeSpan.FromSeconds(300), Workers = 2, SolverParameters = "max_deterministic_time:0.05" };
        var plans = Enumerable.Range(0, 3).Select(_ => new CpSatScheduler().Schedule(w, options)).ToList();
        Assert.All(plans, p => Assert.Empty(ScheduleVerifier.Violations(w, p)));
        Assert.All(plans[1..], p => Assert.Equal(plans[0].Items, p.Items));
    }
}
