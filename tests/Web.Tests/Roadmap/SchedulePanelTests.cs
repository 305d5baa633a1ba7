using Planner.Web.Components.Pages.Roadmap;

namespace Planner.Web.Tests.Roadmap;

/// <summary>The Timeline tab's schedule panel over a real store on a real SQLite file, with the real scheduler.</summary>
public sealed class SchedulePanelTests : SampleStoreContext
{
    [Fact]
    public void A_roadmap_past_the_bounds_lists_its_problems_instead_of_scheduling()
    {
        // As a roadmap saved before the bounds existed could be: the schedulers used to throw on it.
        var stored = Workspace.Clone();
        stored.Initiatives[0].Deadline = new DateOnly(9999, 12, 31);
        stored.Initiatives[0].DeadlineIsHard = true;

        var panel = Render<SchedulePanel>(ps => ps.Add(p => p.Workspace, stored));

        panel.WaitForAssertion(() => Assert.Contains(
            $"{stored.Initiatives[0].Key}.deadline: The deadline must be between 2000-01-01 and 2100-12-31 (got 9999-12-31).",
            panel.Find("[data-testid=timeline-invalid]").TextContent), TimeSpan.FromSeconds(30));
        Assert.Equal("Not scheduled", panel.Find("[data-testid=schedule-status]").TextContent);
    }
}
