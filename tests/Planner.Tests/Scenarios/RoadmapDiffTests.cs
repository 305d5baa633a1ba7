using Planner.Roadmaps;
using Planner.Scenarios;
using Planner.Scheduling;

namespace Planner.Tests.Scenarios;

public class RoadmapDiffTests
{
    private static RoadmapDiff Diff(Workspace before, Workspace after) =>
        RoadmapDiff.Between(before, ListScheduler.Schedule(before), after, ListScheduler.Schedule(after));

    [Fact]
    public void Two_copies_of_the_same_roadmap_are_the_same()
    {
        var diff = Diff(Samples.Sample(), Samples.Sample());
        Assert.True(diff.Same);
        Assert.Equal(0, diff.EndDays);
    }

    [Fact]
    public void Added_removed_and_changed_initiatives_are_listed_with_each_changed_field_before_and_after()
    {
        var before = Samples.Small();
        var after = Samples.Small();
        after.Initiatives.RemoveAll(i => i.Key == "i2");
        after.Initiatives.Add(Samples.Item("i4", 1, ("fe", 1)));
        var edited = after.FindInitiative("i3")!;
        edited.Title = "Checkout";
        edited.Deadline = new DateOnly(2027, 3, 1);
        edited.DeadlineIsHard = true;
        edited.ObjectiveKeys = ["o1"];

        var diff = Diff(before, after);

        Assert.Equal("i4", Assert.Single(diff.Added).Key);
        Assert.Equal("i2", Assert.Single(diff.Removed).Key);
        var change = Assert.Single(diff.Changed);
        Assert.Equal("i3", change.Key);
        Assert.Equal(
            [new FieldChange("title", "Initiative i3", "Checkout"), new FieldChange("objectives", "", "o1"),
             new FieldChange("deadline", "", "2027-03-01"), new FieldChange("deadlineIsHard", "soft", "hard")],
            change.Fields);
    }

    [Fact]
    public void A_longer_initiative_moves_its_successor_and_the_end_date_by_the_same_weeks()
    {
        var before = Samples.Small();
        before.FindInitiative("i3")!.Dependencies = [new Dependency("i1")];
        var after = before.Clone();
        after.FindInitiative("i1")!.DurationWeeks = 5; // two weeks longer; i3 waits for it

        var diff = Diff(before, after);

        var successor = Assert.Single(diff.Moved, m => m.Key == "i3");
        Assert.Equal(14, successor.StartDays);
        Assert.Equal(14, successor.FinishDays);
        Assert.Equal(new DateOnly(2027, 2, 21), diff.BeforeEnd); // 3 + 4 weeks from Monday 2027-01-04, last day a Sunday
        Assert.Equal(14, diff.EndDays);
    }

    [Fact]
    public void Versions_with_different_planning_starts_compare_by_date_not_by_week_number()
    {
        var before = Samples.Small();
        var after = Samples.Small();
        after.PlanningStart = before.PlanningStart.AddDays(7);

        var diff = Diff(before, after);

        Assert.Empty(diff.Changed);
        Assert.All(diff.Moved, m => Assert.Equal(7, m.StartDays));
        Assert.Equal(3, diff.Moved.Count);
        Assert.Equal(7, diff.EndDays);
    }

    [Fact]
    public void A_roadmap_that_could_not_be_scheduled_compares_its_fields_and_no_dates()
    {
        var before = Samples.Small();
        var after = Samples.Small();
        after.FindInitiative("i1")!.Reach = 500;

        var diff = RoadmapDiff.Between(before, null, after, ListScheduler.Schedule(after));

        Assert.Equal(new FieldChange("reach", "", "500"), Assert.Single(Assert.Single(diff.Changed).Fields));
        Assert.Empty(diff.Moved);
        Assert.Null(diff.BeforeEnd);
        Assert.Null(diff.EndDays);
    }
}
