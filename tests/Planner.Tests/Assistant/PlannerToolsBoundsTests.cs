using Planner.Assistant.Chat;
using Planner.Scenarios;
using Planner.Scheduling;

namespace Planner.Tests.Assistant;

public class PlannerToolsBoundsTests
{
    [Fact]
    public void A_roadmap_past_the_bounds_gives_the_tools_its_problems_not_an_exception()
    {
        // As a roadmap saved before the bounds existed could be: scheduling it used to throw.
        var w = Samples.Small();
        (w.Initiatives[0].Deadline, w.Initiatives[0].DeadlineIsHard) = (new DateOnly(9999, 12, 31), true);
        var log = new ToolLog();
        var context = new ToolContext(w, null, new SchedulerOptions { UseSolver = false }, log, new ScenarioRunner(new CpSatScheduler()));

        var facts = new RoadmapPlugin(context).ScheduleFacts();
        var scenario = new ScenarioPlugin(context).RunScenario(["delay i2 2"]);
        new RoadmapPlugin(context).ListInitiatives();

        const string Problem = "i1.deadline: The deadline must be between 2000-01-01 and 2100-12-31 (got 9999-12-31).";
        Assert.Equal($"The roadmap cannot be scheduled: {Problem}", facts);
        Assert.Contains(Problem, scenario);
    }
}
