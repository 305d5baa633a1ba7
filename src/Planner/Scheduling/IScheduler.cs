using Planner.Roadmaps;

namespace Planner.Scheduling;

/// <summary>Computes a workspace's schedule: the one seam every caller schedules through (the Timeline, scenarios, the
/// assistant's tools, drafting, the command line), so a better scheduler, or a test's own, drops in everywhere at once.</summary>
public interface IScheduler
{
    Schedule Schedule(Workspace workspace, SchedulerOptions? options = null, CancellationToken ct = default);
}
