using Planner.Roadmaps;

namespace Planner.Tests.Roadmaps;

public class RoadmapValidatorTests
{
    [Fact]
    public void Sample_workspace_is_valid()
    {
        Assert.Empty(RoadmapValidator.Validate(Samples.Sample()));
    }

    [Fact]
    public void Self_dependency_is_reported()
    {
        var w = Samples.Small();
        w.Initiatives[0].Dependencies.Add(new Dependency("i1"));
        var problem = Assert.Single(RoadmapValidator.Validate(w));
        Assert.Equal("i1", problem.Item);
        Assert.Contains("itself", problem.Message);
    }

    [Fact]
    public void Dependency_cycle_is_reported_with_its_path()
    {
        var w = Samples.Small();
        w.Initiatives[0].Dependencies.Add(new Dependency("i3"));
        w.Initiatives[2].Dependencies.Add(new Dependency("i2"));
        w.Initiatives[1].Dependencies.Add(new Dependency("i1"));
        var problem = Assert.Single(RoadmapValidator.Validate(w));
        Assert.Equal("Dependency cycle: i1 -> i3 -> i2 -> i1 (each depends on the next).", problem.Message);
    }

    [Fact]
    public void Cycle_search_handles_long_chains_without_recursion()
    {
        var w = Samples.Small();
        w.Initiatives.Clear();
        for (var n = 0; n < 20_000; n++)
        {
            var item = Samples.Item($"x{n}", 1);
            if (n > 0) item.Dependencies.Add(new Dependency($"x{n - 1}"));
            w.Initiatives.Add(item);
        }
        Assert.Null(RoadmapValidator.FindCycle(w.Initiatives));
        w.Initiatives[0].Dependencies.Add(new Dependency("x19999"));
        Assert.Equal(20_001, RoadmapValidator.FindCycle(w.Initiatives)!.Count);
    }

    [Fact]
    public void Unknown_team_objective_and_dependency_are_reported()
    {
        var w = Samples.Small();
        w.Initiatives[0].Demand.Add(new TeamDemand("ops", 1));
        w.Initiatives[1].ObjectiveKeys.Add("o9");
        w.Initiatives[2].Dependencies.Add(new Dependency("i42"));
        var messages = RoadmapValidator.Validate(w).Select(p => p.ToString()).ToList();
        Assert.Contains("i1.demand: Unknown team 'ops'.", messages);
        Assert.Contains("i2.objectives: Unknown objective 'o9'.", messages);
        Assert.Contains("i3.dependsOn: Unknown initiative 'i42'.", messages);
        Assert.Equal(3, messages.Count);
    }

    [Fact]
    public void Negative_numbers_and_bad_confidence_are_reported()
    {
        var w = Samples.Small();
        w.Initiatives[0].DurationWeeks = -1;
        w.Initiatives[1].Demand = [new TeamDemand("fe", -2)];
        w.Initiatives[2].Confidence = 1.5;
        w.Initiatives[2].Reach = -3;
        w.Teams[0].Capacity = -1;
        var fields = RoadmapValidator.Validate(w).Select(p => $"{p.Item}.{p.Field}").ToHashSet();
        Assert.Equal(new HashSet<string> { "i1.durationWeeks", "i2.demand", "i3.confidence", "i3.reach", "be.capacity" }, fields);
    }

    [Fact]
    public void Duplicate_ids_are_reported()
    {
        var w = Samples.Small();
        w.Initiatives.Add(Samples.Item("i2", 1));
        var problem = Assert.Single(RoadmapValidator.Validate(w));
        Assert.Contains("'i2' is used 2 times", problem.Message);
    }

    [Fact]
    public void Effort_turns_into_duration_over_the_people_demanded()
    {
        var item = Samples.Item("i9", 0, ("be", 2), ("fe", 1));
        item.DurationWeeks = null;
        item.EffortPersonWeeks = 10;
        Assert.Equal(4, item.ResolvedDurationWeeks); // 10 person-weeks / 3 people, rounded up
        item.EffortPersonWeeks = 9;
        Assert.Equal(3, item.ResolvedDurationWeeks);
    }

    [Fact]
    public void Effort_without_demand_cannot_become_a_duration()
    {
        var w = Samples.Small();
        w.Initiatives[0].DurationWeeks = null;
        w.Initiatives[0].EffortPersonWeeks = 6;
        w.Initiatives[0].Demand.Clear();
        var problem = Assert.Single(RoadmapValidator.Validate(w));
        Assert.Equal("effortPersonWeeks", problem.Field);
    }

    [Fact]
    public void Team_capacity_follows_its_changes_by_date()
    {
        var team = new Team { Key = "be", Name = "Backend", Capacity = 4, CapacityChanges = [new(new DateOnly(2027, 4, 5), 2), new(new DateOnly(2027, 2, 1), 6)] };
        Assert.Equal(4, team.CapacityOn(new DateOnly(2027, 1, 31)));
        Assert.Equal(6, team.CapacityOn(new DateOnly(2027, 2, 1)));
        Assert.Equal(2, team.CapacityOn(new DateOnly(2027, 12, 1)));
        Assert.Equal(6, team.PeakCapacity);
    }
}
