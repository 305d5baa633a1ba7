using Planner.Interchange;
using Planner.Roadmaps;
using Planner.Scenarios;
using Planner.Scheduling;

namespace Planner.Tests.Scenarios;

public class ScenarioRunnerTests
{
    private static readonly ScenarioRunner Runner = new(new CpSatScheduler());

    private static readonly SchedulerOptions Options = new() { TimeLimit = TimeSpan.FromSeconds(5), Workers = 2 };

    /// <summary>A Backend chain b1 -> b2 -> b3 (2 people each, 3 weeks) beside a Frontend chain f1 -> f2.</summary>
    private static Workspace TwoChains()
    {
        var w = Samples.Small();
        w.Initiatives =
        [
            Samples.Item("b1", 3, ("be", 2)), Samples.Item("b2", 3, ("be", 2)), Samples.Item("b3", 3, ("be", 2)),
            Samples.Item("f1", 4, ("fe", 1)), Samples.Item("f2", 4, ("fe", 1)),
        ];
        w.Initiatives[1].Dependencies = [new Dependency("b1")];
        w.Initiatives[2].Dependencies = [new Dependency("b2")];
        w.Initiatives[4].Dependencies = [new Dependency("f1")];
        return w;
    }

    [Fact]
    public void Losing_backend_people_delays_exactly_the_backend_work_after_the_cut()
    {
        var w = TwoChains();
        w.Teams[0].Capacity = 2;
        var before = RoadmapJson.Serialize(w);
        // From week 3 Backend has 1 person: b2 and b3 (2 people each) can never run again.
        var cut = Runner.Run(w, [new CapacityDelta("be", -1, w.WeekStart(3))], Options);
        Assert.Equal(ScheduleStatus.Infeasible, cut.ScenarioSchedule.Status);
        Assert.Contains("The scenario has no feasible schedule: b2.demand: Its teams never have enough free people", cut.Summary);

        // A temporary loss instead: 1 person in weeks 3-5, back to 2 from week 6. b2 and b3 slip 3 weeks; f1, f2, b1 do not move.
        w.Teams[0].CapacityChanges = [];
        var temporary = Runner.Run(w, [new CapacityDelta("be", -1, w.WeekStart(3)), new CapacityDelta("be", +1, w.WeekStart(6))], Options);
        Assert.True(temporary.Ok, temporary.Summary);
        var moved = temporary.Diff.Moved.ToDictionary(i => i.Key, i => i.FinishDelta);
        Assert.Equal(new Dictionary<string, int?> { ["b2"] = 3, ["b3"] = 3 }, moved);
        Assert.Equal(3, temporary.Diff.MakespanDeltaWeeks);
        Assert.StartsWith("With be −1 person from 2027-01-25, be +1 person from 2027-02-15: everything finishes 3 weeks later, in week 12 (2027-03-28).", temporary.Summary);
        Assert.Contains("b2 Initiative b2 (+3 wk)", temporary.Summary);
        Assert.Equal(before, RoadmapJson.Serialize(w)); // the real workspace is untouched
    }

    [Fact]
    public void Cutting_scope_and_adding_work_show_up_in_the_diff()
    {
        var w = TwoChains();
        var result = Runner.Run(w,
        [
            new Cut("b2"),
            new AddInitiative(new Initiative { Key = "n1", Title = "Billing", DurationWeeks = 2, Demand = [new TeamDemand("fe", 1)] }),
        ], Options);
        Assert.True(result.Ok, result.Summary);
        Assert.Contains(result.Diff.Items, i => i.Key == "b2" && i.Removed);
        Assert.Contains(result.Diff.Items, i => i.Key == "n1" && i.Added);
        Assert.Equal(-6, result.Diff.Items.Single(i => i.Key == "b3").FinishDelta); // no longer waits for b2: runs beside b1
        Assert.Contains("Removed: b2.", result.Summary);
    }

    [Fact]
    public void Shrinking_delaying_and_re_estimating_change_durations_and_starts()
    {
        var w = TwoChains();
        var result = Runner.Run(w, [new Shrink("b1", 50), new Delay("f1", 2), new Reestimate("f2", 1)], Options);
        Assert.True(result.Ok, result.Summary);
        var s = result.ScenarioSchedule;
        Assert.Equal(new ScheduledItem("b1", 0, 2), s.Find("b1"));
        Assert.Equal(new ScheduledItem("f1", 2, 6), s.Find("f1"));
        Assert.Equal(new ScheduledItem("f2", 6, 7), s.Find("f2"));
    }

    [Fact]
    public void A_runway_limit_lists_the_work_that_does_not_fit()
    {
        var w = TwoChains(); // the backend chain ends in week 9 (2027-03-07)
        var result = Runner.Run(w, [new RunwayLimit(2)], Options); // runway ends 2027-03-04: week 8
        Assert.Contains(result.ScenarioSchedule.Problems, p => p.Item == "b3" && p.Field == "horizon");
        Assert.Contains("do not finish within the horizon: b3", result.Summary);
    }

    [Fact]
    public void Shipping_an_item_first_moves_it_to_the_front()
    {
        var w = Samples.Small();
        w.Teams[0].Capacity = 1;
        w.Initiatives = [Samples.Item("a", 3, ("be", 1)), Samples.Item("billing", 2, ("be", 1))];
        var result = Runner.Run(w, [new ShipFirst("billing")], Options);
        Assert.True(result.Ok, result.Summary);
        Assert.Equal(0, result.ScenarioSchedule.Find("billing")!.StartWeek);
    }

    [Fact]
    public void Unknown_items_and_teams_are_reported_and_nothing_is_computed()
    {
        var result = Runner.Run(TwoChains(), [new Delay("zz", 2), new CapacityDelta("ops", -1, new DateOnly(2027, 2, 1))], Options);
        Assert.False(result.Ok);
        Assert.Equal(2, result.Problems.Count);
        Assert.StartsWith("The scenario cannot be computed", result.Summary);
    }

    [Theory]
    [InlineData("capacity be -2 from 2027-04-05", "be −2 people from 2027-04-05")]
    [InlineData("capacity Backend +1 from week 12", "Backend +1 person from 2027-03-29")]
    [InlineData("delay i5 4", "delay i5 by 4 weeks")]
    [InlineData("estimate i5 10w", "re-estimate i5 at 10 weeks")]
    [InlineData("cut i7", "cut i7")]
    [InlineData("shrink i7 50%", "shrink i7 by 50%")]
    [InlineData("runway 12", "runway of 12 months")]
    [InlineData("first i5", "ship i5 first")]
    [InlineData("add \"Usage billing\" 6 be:2;fe:1 after i3", "add new37 'Usage billing' (6 weeks)")]
    public void Change_specs_are_parsed(string spec, string described)
    {
        Assert.True(ScenarioSpec.TryParse(spec, Samples.Sample(), out var change, out var error), error);
        Assert.Equal(described, change!.Describe());
    }

    [Theory]
    [InlineData("make it faster")]
    [InlineData("capacity be -2 from 2027-13-01")]
    [InlineData("add \"X\" 3 ops:1")]
    public void Unreadable_specs_say_what_is_accepted(string spec)
    {
        Assert.False(ScenarioSpec.TryParse(spec, Samples.Sample(), out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
