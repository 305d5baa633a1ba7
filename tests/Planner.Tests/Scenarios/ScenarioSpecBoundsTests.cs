using Planner.Scenarios;

namespace Planner.Tests.Scenarios;

public class ScenarioSpecBoundsTests
{
    [Theory]
    [InlineData("delay i1 99999999999", "A delay must be from 0 to 520 weeks (got 99999999999).")]
    [InlineData("delay i1 521", "A delay must be from 0 to 520 weeks (got 521).")]
    [InlineData("estimate i1 600000", "An estimate must be from 0 to 520 weeks (got 600000).")]
    [InlineData("shrink i1 101%", "Shrinking must be from 0 to 100% (got 101).")]
    [InlineData("capacity be -2 from week 600000", "The week must be from 0 to 520 (got 600000).")]
    [InlineData("capacity be -99999999999 from week 2", "A change in capacity must be from -10,000 to 10,000 people (got -99999999999).")]
    [InlineData("capacity be +2 from 9999-12-31", "The date must be between 2000-01-01 and 2100-12-31 (got 9999-12-31).")]
    [InlineData("runway 99999999999", "A runway must be from 1 to 1,200 months (got 99999999999).")]
    [InlineData("runway 0", "A runway must be from 1 to 1,200 months (got 0).")]
    [InlineData("add \"Big\" 99999999999 be:1", "A duration must be from 0 to 520 weeks (got 99999999999).")]
    public void Numbers_past_their_bounds_are_refused_with_one_line(string spec, string message)
    {
        Assert.False(ScenarioSpec.TryParse(spec, Samples.Small(), out var change, out var error));
        Assert.Null(change);
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("delay i1 520")]
    [InlineData("estimate i1 0")]
    [InlineData("shrink i1 100%")]
    [InlineData("capacity be -10000 from week 520")]
    [InlineData("capacity be +2 from 2100-12-31")]
    [InlineData("runway 1200")]
    [InlineData("add \"Big\" 520 be:1")]
    public void Values_at_their_bounds_are_accepted(string spec)
    {
        Assert.True(ScenarioSpec.TryParse(spec, Samples.Small(), out var change, out var error), error);
        Assert.NotNull(change);
    }

    [Fact]
    public void A_delay_at_its_bound_on_a_long_plan_is_refused_by_the_validator_not_an_exception()
    {
        var w = Samples.Small();
        w.PlanningStart = new DateOnly(2100, 1, 4);
        Assert.True(ScenarioSpec.TryParse("delay i1 520", w, out var delay, out _));

        var result = new ScenarioRunner(new Planner.Scheduling.CpSatScheduler()).Run(w, [delay!],
            new Planner.Scheduling.SchedulerOptions { UseSolver = false });

        Assert.False(result.Ok);
        Assert.Contains("i1.earliestStart: The earliest start must be between 2000-01-01 and 2100-12-31", result.Summary);
    }

    [Fact]
    public void A_roadmap_past_the_bounds_gets_its_problems_not_an_exception()
    {
        var w = Samples.Small();
        (w.Initiatives[0].Deadline, w.Initiatives[0].DeadlineIsHard) = (new DateOnly(9999, 12, 31), true);

        var result = new ScenarioRunner(new Planner.Scheduling.CpSatScheduler()).Run(w, [new Delay("i1", 2)],
            new Planner.Scheduling.SchedulerOptions { UseSolver = false });

        Assert.False(result.Ok);
        Assert.Equal("The roadmap cannot be scheduled: i1.deadline: The deadline must be between 2000-01-01 and 2100-12-31 (got 9999-12-31).", result.Summary);
    }
}
