using Planner.Roadmaps;
using Planner.Scenarios;
using Planner.Scheduling;
using Planner.Web.Api.Contracts;

namespace Planner.Web.Api;

/// <summary>The planner's computed facts in the API's shapes, shared by the HTTP API and the MCP tools.</summary>
public static class PlanFacts
{
    /// <summary>At most this many changes in one scenario (as in the chat's tool).</summary>
    public const int MaxChanges = 8;

    public static ScheduleView Schedule(Workspace ws, IScheduler scheduler, CancellationToken ct)
    {
        if (RoadmapValidator.Validate(ws) is { Count: > 0 } invalid)
            return new ScheduleView("infeasible", "none", "makespan", 0, ws.PlanningStart, 0, 0, 0, 0, 0, [], invalid);
        var schedule = scheduler.Schedule(ws, SchedulerOptions.Default, ct);
        var items = schedule.Items.Select(i => new ScheduledInitiative(i.Key, ws.FindInitiative(i.Key)?.Title ?? i.Key, i.StartWeek, i.FinishWeek,
            ws.WeekStart(i.StartWeek), ws.WeekStart(i.FinishWeek).AddDays(i.FinishWeek == i.StartWeek ? 0 : -1))).ToList();
        return new ScheduleView(schedule.Status.ToString().ToLowerInvariant(), schedule.Method, schedule.Objective.ToString().ToLowerInvariant(),
            schedule.MakespanWeeks, ws.WeekStart(schedule.MakespanWeeks).AddDays(-1), schedule.ObjectiveValue, schedule.LowerBound,
            Math.Round(schedule.Gap, 4), schedule.MakespanLowerBound, Math.Round(schedule.SolveTime.TotalSeconds, 3), items, schedule.Problems);
    }

    /// <summary>The changes parsed against the workspace, or why not (too few, too many, one unreadable).</summary>
    public static (List<ScenarioChange>? Changes, string? Error) ParseChanges(Workspace ws, IReadOnlyList<string>? specs)
    {
        if (specs is null || specs.Count is 0 or > MaxChanges) return (null, $"Give between one and {MaxChanges} changes.");
        var changes = new List<ScenarioChange>();
        foreach (var spec in specs)
        {
            if (spec is null || spec.Length > TextLimits.ShortText) return (null, $"Each change is at most {TextLimits.ShortText} characters.");
            if (!ScenarioSpec.TryParse(spec, ws, out var change, out var error)) return (null, error);
            changes.Add(change!);
        }
        return (changes, null);
    }

    public static IReadOnlyList<InitiativeEvidence> Evidence(Workspace ws) =>
        [.. ws.Initiatives.Select(i => new InitiativeEvidence(i.Key, i.Title, i.Evidence, i.IgnoreEvidence))];
}
