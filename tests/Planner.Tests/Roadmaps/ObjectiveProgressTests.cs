using Planner.Roadmaps;

namespace Planner.Tests.Roadmaps;

public class ObjectiveProgressTests
{
    [Fact]
    public void A_key_result_progresses_from_start_to_target_in_either_direction_and_stays_within_0_and_1()
    {
        Assert.Equal(0.5, new KeyResult("Close time", "days", Start: 9, Current: 7, Target: 5).Progress);
        Assert.Equal(0.25, new KeyResult("ARR", "$k", Start: 400, Current: 600, Target: 1200).Progress);
        Assert.Equal(1.0, new KeyResult("Customers", "", Start: 0, Current: 150, Target: 100).Progress);
        Assert.Equal(0.0, new KeyResult("Churn", "%", Start: 2, Current: 3, Target: 1).Progress);
        Assert.Equal(0.0, new KeyResult("Not started", "", Start: 10, Current: null, Target: 20).Progress);
        Assert.Null(new KeyResult("Plain text").Progress);
        Assert.Null(new KeyResult("Only a target", "", Target: 5).Progress);
    }

    [Fact]
    public void An_objective_averages_its_measured_key_results_and_the_status_of_its_live_initiatives()
    {
        var objective = new Objective
        {
            Key = "o1",
            Title = "Grow",
            KeyResults = [new KeyResult("ARR", "$k", 400, 600, 1200), new KeyResult("Close time", "days", 9, 7, 5), new KeyResult("Be loved")],
        };
        Initiative Linked(string key, InitiativeStatus status) => new() { Key = key, Title = key, Status = status, ObjectiveKeys = ["o1"] };
        var initiatives = new[]
        {
            Linked("i1", InitiativeStatus.Done),
            Linked("i2", InitiativeStatus.InProgress),
            Linked("i3", InitiativeStatus.Planned),
            Linked("i4", InitiativeStatus.Dropped),
            new Initiative { Key = "i5", Title = "Elsewhere", Status = InitiativeStatus.Done, ObjectiveKeys = ["o2"] },
        };

        var progress = ObjectiveProgress.Of(objective, initiatives);

        Assert.Equal(0.375, progress.KeyResults!.Value, 9);   // (0.25 + 0.5) / 2; the plain one does not count
        Assert.Equal(2, progress.MeasuredKeyResults);
        Assert.Equal(0.5, progress.Initiatives!.Value, 9);    // (1 + 0.5 + 0) / 3; dropped and unlinked left out
        Assert.Equal((1, 3), (progress.DoneInitiatives, progress.LinkedInitiatives));
        Assert.Equal(0.4375, progress.Overall!.Value, 9);
    }

    [Fact]
    public void An_objective_with_nothing_to_measure_has_no_progress_rather_than_zero()
    {
        var progress = ObjectiveProgress.Of(new Objective { Key = "o1", Title = "Grow", KeyResults = [new KeyResult("Be loved")] }, []);
        Assert.Null(progress.KeyResults);
        Assert.Null(progress.Initiatives);
        Assert.Null(progress.Overall);
    }

    [Fact]
    public void A_key_result_with_half_its_numbers_or_no_text_is_reported_by_the_validator()
    {
        var w = Samples.Small();
        w.Objectives[0].KeyResults = [new KeyResult("Only a target", "%", Target: 50), new KeyResult("Same", "", 3, null, 3), new KeyResult(" ")];
        var problems = RoadmapValidator.Validate(w);
        Assert.Contains(problems, p => p.Item == "o1" && p.Message.Contains("needs both a start and a target", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Item == "o1" && p.Message.Contains("same start and target", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Item == "o1" && p.Message == "A key result needs a text.");
    }
}
