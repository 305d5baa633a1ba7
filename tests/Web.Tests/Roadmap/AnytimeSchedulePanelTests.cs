using Microsoft.Extensions.DependencyInjection;
using Planner.Roadmaps;
using Planner.Scheduling;
using Planner.Web.Components.Pages.Roadmap;

namespace Planner.Web.Tests.Roadmap;

/// <summary>The Timeline while the solver works: the first plan shows at once, better ones replace it, Stop keeps the
/// best so far. The scheduler here reports one plan and then works until stopped, so each step can be seen.</summary>
public sealed class AnytimeSchedulePanelTests : SampleStoreContext
{
    private sealed class UntilStopped : IScheduler
    {
        public Schedule Schedule(Workspace workspace, SchedulerOptions? options = null, CancellationToken ct = default)
        {
            var first = ListScheduler.Schedule(workspace);
            options?.Progress?.Invoke(first);
            ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(60));
            return first with { Method = "stopped-solver" };
        }
    }

    [Fact]
    public void The_first_plan_shows_while_the_solver_works_and_Stop_keeps_the_best_so_far()
    {
        Services.AddSingleton<IScheduler>(new UntilStopped());
        var panel = Render<SchedulePanel>(ps => ps.Add(p => p.Workspace, Workspace));

        panel.WaitForAssertion(() =>
        {
            Assert.Contains("heuristic", panel.Find("[data-testid=schedule-status]").TextContent, StringComparison.Ordinal);
            Assert.NotNull(panel.Find("[data-testid=schedule-improving]"));
        }, TimeSpan.FromSeconds(30));

        panel.Find("[data-testid=schedule-stop]").Click();

        panel.WaitForAssertion(() =>
        {
            Assert.Contains("stopped-solver", panel.Find("[data-testid=schedule-status]").TextContent, StringComparison.Ordinal);
            Assert.Empty(panel.FindAll("[data-testid=schedule-stop]"));
            Assert.Empty(panel.FindAll("[data-testid=schedule-improving]"));
        }, TimeSpan.FromSeconds(30));
    }
}
