using Planner.Roadmaps;

namespace Planner.Tests.Roadmaps;

public class RoadmapBoundsTests
{
    private static readonly DateOnly FarFuture = new(9999, 12, 31);

    private static List<string> Problems(Action<Workspace> change)
    {
        var w = Samples.Small();
        change(w);
        return [.. RoadmapValidator.Validate(w).Select(p => p.ToString())];
    }

    [Fact]
    public void The_sample_roadmap_is_well_inside_every_bound()
    {
        var sample = Samples.Sample();
        Assert.True(sample.Initiatives.Count < RoadmapBounds.MaxInitiatives / 10);
        Assert.All(sample.Initiatives, i => Assert.InRange(i.ResolvedDurationWeeks ?? 0, 0, RoadmapBounds.MaxWeeks / 10));
        Assert.All(sample.Teams, t => Assert.InRange(t.PeakCapacity, 0, RoadmapBounds.MaxPeople / 100));
    }

    [Fact]
    public void Values_at_every_bound_are_accepted()
    {
        Assert.Empty(Problems(w =>
        {
            w.PlanningStart = RoadmapBounds.EarliestDate;
            w.RunwayMonths = RoadmapBounds.MaxRunwayMonths;
            w.Teams[0].Capacity = RoadmapBounds.MaxPeople;
            w.Teams[0].CapacityChanges = [new(RoadmapBounds.LatestDate, RoadmapBounds.MaxPeople)];
            var i1 = w.Initiatives[0];
            i1.DurationWeeks = RoadmapBounds.MaxWeeks;
            i1.Demand = [new("be", RoadmapBounds.MaxPeople)];
            (i1.EarliestStart, i1.LockedStart, i1.Deadline) = (RoadmapBounds.EarliestDate, RoadmapBounds.EarliestDate, RoadmapBounds.LatestDate);
            (i1.Reach, i1.Impact, i1.Effort, i1.Confidence) = (RoadmapBounds.MaxReach, RoadmapBounds.MaxScore, RoadmapBounds.MaxScore, 1);
            (i1.BusinessValue, i1.TimeCriticality, i1.RiskReduction) = (RoadmapBounds.MaxScore, RoadmapBounds.MaxScore, RoadmapBounds.MaxScore);
            w.Initiatives[1].Dependencies = [new("i1", RoadmapBounds.MaxWeeks)];
        }));
    }

    [Fact]
    public void The_verified_overflows_are_refused_with_one_clear_message_each()
    {
        Assert.Equal(["i1.deadline: The deadline must be between 2000-01-01 and 2100-12-31 (got 9999-12-31)."],
            Problems(w => w.Initiatives[0].Deadline = FarFuture));
        Assert.Equal(["i1.durationWeeks: Duration cannot be more than 520 weeks, ten years (got 600000)."],
            Problems(w => w.Initiatives[0].DurationWeeks = 600_000));
        Assert.Equal(["The planning start must be between 2000-01-01 and 2100-12-31 (got 9999-01-04)."],
            Problems(w => w.PlanningStart = new DateOnly(9999, 1, 4)));
        Assert.Equal([$"i2.dependsOn: Lag after 'i1' cannot be more than 520 weeks, ten years (got {int.MaxValue})."],
            Problems(w => w.Initiatives[1].Dependencies = [new("i1", int.MaxValue)]));
    }

    [Fact]
    public void Numbers_past_their_bound_are_refused()
    {
        var messages = Problems(w =>
        {
            w.RunwayMonths = 1_201;
            w.Teams[0].Capacity = 10_001;
            w.Teams[1].CapacityChanges = [new(new DateOnly(2027, 6, 7), 10_001)];
            var i1 = w.Initiatives[0];
            i1.Demand = [new("be", 10_001)];
            (i1.Reach, i1.Impact, i1.Effort) = (1e10, 1e7, 1e7);
            (i1.BusinessValue, i1.TimeCriticality, i1.RiskReduction) = (1e7, 1e7, 1e7);
            w.Initiatives[1].DurationWeeks = null;
            w.Initiatives[1].EffortPersonWeeks = 1e300;
        });
        Assert.Equal([
            "Runway cannot be more than 1,200 months (got 1201).",
            "be.capacity: Capacity cannot be more than 10,000 people (got 10001).",
            "fe.capacityChanges: Capacity from 2027-06-07 cannot be more than 10,000 people (got 10001).",
            "i1.demand: Demand on 'be' cannot be more than 10,000 people (got 10001).",
            "i1.reach: reach cannot be more than 1,000,000,000 (got 10000000000).",
            "i1.impact: impact cannot be more than 1,000,000 (got 10000000).",
            "i1.effort: effort cannot be more than 1,000,000 (got 10000000).",
            "i1.businessValue: businessValue cannot be more than 1,000,000 (got 10000000).",
            "i1.timeCriticality: timeCriticality cannot be more than 1,000,000 (got 10000000).",
            "i1.riskReduction: riskReduction cannot be more than 1,000,000 (got 10000000).",
            "i2.effortPersonWeeks: Effort cannot be more than 5,200,000 person-weeks (got 1E+300).",
        ], messages);
    }

    [Fact]
    public void An_effort_that_spreads_past_ten_years_is_refused()
    {
        Assert.Equal(["i2.effortPersonWeeks: The effort spread over its people takes 1000 weeks; the most is 520 (ten years)."],
            Problems(w => (w.Initiatives[1].DurationWeeks, w.Initiatives[1].EffortPersonWeeks) = (null, 1000)));
    }

    [Fact]
    public void Dates_before_2000_or_after_2100_are_refused_wherever_they_are()
    {
        var old = new DateOnly(1999, 12, 31);
        var messages = Problems(w =>
        {
            w.Teams[0].CapacityChanges = [new(old, 2)];
            (w.Initiatives[0].EarliestStart, w.Initiatives[0].LockedStart) = (old, new DateOnly(2101, 1, 1));
        });
        Assert.Equal([
            "be.capacityChanges: A capacity change must be between 2000-01-01 and 2100-12-31 (got 1999-12-31).",
            "i1.earliestStart: The earliest start must be between 2000-01-01 and 2100-12-31 (got 1999-12-31).",
            "i1.lockedStart: The locked start must be between 2000-01-01 and 2100-12-31 (got 2101-01-01).",
        ], messages);
    }

    [Fact]
    public void A_roadmap_without_a_planning_start_is_refused_as_such_not_planned_from_year_one()
    {
        // Weeks count from the start: planned from 0001-01-01, a lock in 2037 is 106,000 weeks out (the schedulers'
        // time grows with that distance).
        var messages = Problems(w => (w.PlanningStart, w.Initiatives[0].LockedStart) = (default, new DateOnly(2037, 12, 7)));
        Assert.Equal(["The roadmap needs a planning start, the first day of week 0."], messages);
    }

    [Fact]
    public void Absurd_demands_are_reported_not_overflowed()
    {
        var messages = Problems(w =>
        {
            w.Initiatives[0].Demand = [new("be", int.MaxValue), new("fe", int.MaxValue)];
            (w.Initiatives[0].DurationWeeks, w.Initiatives[0].EffortPersonWeeks) = (null, 10);
        });
        Assert.Contains($"i1.demand: Demand on 'be' cannot be more than 10,000 people (got {int.MaxValue}).", messages);
    }

    [Fact]
    public void Too_many_initiatives_teams_or_weeks_of_work_are_refused()
    {
        var messages = Problems(w =>
        {
            w.Teams.AddRange(Enumerable.Range(0, RoadmapBounds.MaxTeams).Select(n => new Team { Key = $"t{n}", Name = $"Team {n}", Capacity = 1 }));
            w.Initiatives.AddRange(Enumerable.Range(0, RoadmapBounds.MaxInitiatives).Select(n => Samples.Item($"x{n}", 11)));
        });
        Assert.Equal([
            "A roadmap can have at most 200 teams (got 202).",
            "A roadmap can have at most 5,000 initiatives (got 5,003).",
            "All the work laid end to end takes 55,009 weeks; Planner plans at most 52,000 weeks (1,000 years).",
        ], messages);
    }
}
