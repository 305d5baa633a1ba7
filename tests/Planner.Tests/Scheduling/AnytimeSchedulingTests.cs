using Planner.Scheduling;

namespace Planner.Tests.Scheduling;

public class AnytimeSchedulingTests
{
    [Fact]
    public void Progress_reports_the_heuristic_plans_first_then_only_better_feasible_plans()
    {
        var w = Samples.Crowded(60, seed: 3);
        var reported = new List<Schedule>();
        var options = new SchedulerOptions
        {
            TimeLimit = TimeSpan.FromSeconds(120), Workers = 2, SolverParameters = "max_deterministic_time:0.2",
            Progress = s => { lock (reported) reported.Add(s); },
        };
        var final = new CpSatScheduler().Schedule(w, options);

        Assert.Equal("heuristic", reported[0].Method);
        Assert.Equal(ListScheduler.Schedule(w).MakespanWeeks, reported.Last(s => s.Method == "heuristic").MakespanWeeks);
        Assert.All(reported, s => Assert.Empty(ScheduleVerifier.Violations(w, s)));
        Assert.All(reported.Zip(reported.Skip(1)), pair => Assert.True(pair.Second.MakespanWeeks < pair.First.MakespanWeeks));
        Assert.All(reported, s => Assert.InRange(s.LowerBound, 1, s.MakespanWeeks));
        Assert.True(final.MakespanWeeks <= reported[^1].MakespanWeeks);
    }

    [Fact]
    public void Stopping_at_the_first_plan_keeps_the_heuristics_best_without_running_the_solver()
    {
        var w = Samples.Crowded(60, seed: 3);
        using var stop = new CancellationTokenSource();
        Schedule? first = null;
        var options = new SchedulerOptions
        {
            TimeLimit = TimeSpan.FromSeconds(120), Workers = 2,
            Progress = s => { first ??= s; stop.Cancel(); }, // Stop as soon as the first plan shows
        };
        var final = new CpSatScheduler().Schedule(w, options, stop.Token);
        Assert.NotNull(first);
        Assert.Empty(ScheduleVerifier.Violations(w, final));
        Assert.True(final.MakespanWeeks <= first.MakespanWeeks);
        Assert.Equal("heuristic", final.Method); // stopped before the solver began: the heuristic's best stands
        Assert.True(final.MakespanWeeks <= first.MakespanWeeks);
    }
}
