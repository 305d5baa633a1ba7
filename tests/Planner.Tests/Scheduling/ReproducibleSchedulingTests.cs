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
        var w = Crowded(60, seed: 7);
        Assert.Empty(RoadmapValidator.Validate(w));
        var options = new SchedulerOptions { TimeLimit = TimeSpan.FromSeconds(300), Workers = 2, SolverParameters = "max_deterministic_time:0.05" };
        var plans = Enumerable.Range(0, 3).Select(_ => new CpSatScheduler().Schedule(w, options)).ToList();
        Assert.All(plans, p => Assert.Empty(ScheduleVerifier.Violations(w, p)));
        Assert.All(plans[1..], p => Assert.Equal(plans[0].Items, p.Items));
    }

    /// <summary>Many initiatives on three small teams, some chained: capacity, not the chains, sets the end.</summary>
    private static Workspace Crowded(int count, int seed)
    {
        var random = new Random(seed);
        var w = new Workspace
        {
            Name = "crowded",
            PlanningStart = new DateOnly(2027, 1, 4),
            Teams = [.. Enumerable.Range(0, 3).Select(t => new Team { Key = $"t{t}", Name = $"Team {t}", Capacity = 6 })],
        };
        for (var i = 0; i < count; i++)
        {
            var item = new Initiative { Key = $"i{i}", Title = $"Initiative {i}", DurationWeeks = random.Next(1, 9) };
            foreach (var t in Enumerable.Range(0, 3).Where(_ => random.NextDouble() < 0.5).DefaultIfEmpty(random.Next(3)))
                item.Demand.Add(new TeamDemand($"t{t}", random.Next(1, 5)));
            if (i > 0 && random.NextDouble() < 0.4) item.Dependencies.Add(new Dependency($"i{random.Next(i)}"));
            w.Initiatives.Add(item);
        }
        return w;
    }
}
