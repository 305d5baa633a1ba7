using Planner.Roadmaps;

namespace Planner.Scheduling;

/// <summary>Today's computed plan beside the plan of a saved version ("planned vs computed"): the saved roadmap is
/// scheduled the same way first, and today's plan is then kept as close to it as equally good plans allow, so it does
/// not reshuffle for nothing. <see cref="Moved"/> counts the initiatives whose weeks differ (or that are new).</summary>
public sealed record PlanComparison(Schedule Schedule, Schedule? Planned, int Moved)
{
    public static PlanComparison Compute(IScheduler scheduler, Workspace workspace, Workspace? saved, SchedulerOptions options, CancellationToken ct = default)
    {
        // Progress is about today's plan: its heuristic plan at once (before the saved version's solve), then the solve.
        if (saved is not null) options.Progress?.Invoke(scheduler.Schedule(workspace, options with { UseSolver = false, Progress = null }, ct));
        var planned = saved is null ? null : scheduler.Schedule(saved, options with { Progress = null }, ct);
        var schedule = scheduler.Schedule(workspace, planned is null ? options : options with { Anchor = planned.Items.ToDictionary(i => i.Key, i => i.StartWeek) }, ct);
        var moved = planned is null ? 0 : schedule.Items.Count(i => planned.Find(i.Key) is not { } was || was.StartWeek != i.StartWeek || was.FinishWeek != i.FinishWeek);
        return new PlanComparison(schedule, planned, moved);
    }
}
