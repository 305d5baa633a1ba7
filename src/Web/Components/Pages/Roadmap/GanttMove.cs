using Planner.Scenarios;
using Planner.Scheduling;

namespace Planner.Web.Components.Pages.Roadmap;

/// <summary>A move tried on the Gantt: the change, its re-solved plan once computed (null while solving), and why
/// saving it was refused (someone else changed the initiative meanwhile).</summary>
public sealed record GanttMove(LockStart Change, ScenarioResult? Result, string? Refused = null)
{
    /// <summary>The move can be saved: the roadmap stays valid and a plan honours the lock and every hard deadline.</summary>
    public bool Possible => Result is { Ok: true } r && r.ScenarioSchedule.Status != ScheduleStatus.Infeasible
                            && r.ScenarioSchedule.Problems.All(p => p.Field != "lockedStart");
}
