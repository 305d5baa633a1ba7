using System.Text.Json;
using System.Text.Json.Serialization;
using Planner.Roadmaps;
using Planner.Scenarios;
using Planner.Scheduling;

namespace Planner.Cli.Commands;

/// <summary>The machine-readable form of schedules and scenario diffs (the CLI's output; stable field names).</summary>
public static class ScheduleJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // In a diff, null says "not in that plan" (added or removed), so it is written out.
    private static readonly JsonSerializerOptions DiffOptions = new(Options) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static string Write(Workspace workspace, Schedule schedule)
    {
        var analysis = ScheduleAnalysis.Of(workspace, schedule);
        return JsonSerializer.Serialize(new
        {
            status = Name(schedule.Status),
            objective = schedule.Objective == ScheduleObjective.Makespan ? "makespan" : "weighted",
            method = schedule.Method,
            makespanWeeks = schedule.MakespanWeeks,
            lowerBoundWeeks = schedule.MakespanLowerBound,
            objectiveValue = schedule.ObjectiveValue,
            objectiveLowerBound = schedule.LowerBound,
            gap = Math.Round(schedule.Gap, 4),
            solveSeconds = Math.Round(schedule.SolveTime.TotalSeconds, 3),
            finishDate = schedule.Items.Count == 0 ? null : workspace.WeekStart(schedule.MakespanWeeks).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            items = schedule.Items.Select(i => new
            {
                id = i.Key,
                startWeek = i.StartWeek,
                finishWeek = i.FinishWeek,
                startDate = workspace.WeekStart(i.StartWeek).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                finishDate = workspace.WeekStart(i.FinishWeek).AddDays(i.StartWeek == i.FinishWeek ? 0 : -1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            }),
            criticalPath = analysis.CriticalPath.Select(c => new { id = c.Key, c.StartWeek, c.FinishWeek, reason = c.Reason }),
            utilisation = analysis.Utilisation.Select(u => new { team = u.TeamKey, average = Math.Round(u.Average, 3), booked = u.Booked, capacity = u.Capacity }),
            problems = schedule.Problems.Concat(analysis.DeadlineReasons).Select(Problem),
        }, Options) + "\n";
    }

    public static string Write(ScenarioResult result) => JsonSerializer.Serialize(new
    {
        summary = result.Summary,
        changes = result.Changes.Select(c => c.Describe()),
        baseline = new { status = Name(result.Baseline.Status), makespanWeeks = result.Baseline.MakespanWeeks },
        scenario = new { status = Name(result.ScenarioSchedule.Status), makespanWeeks = result.ScenarioSchedule.MakespanWeeks },
        makespanDeltaWeeks = result.Diff.MakespanDeltaWeeks,
        items = result.Diff.Items.Select(i => new
        {
            id = i.Key,
            title = i.Title,
            baselineStart = i.BaselineStart,
            baselineFinish = i.BaselineFinish,
            scenarioStart = i.ScenarioStart,
            scenarioFinish = i.ScenarioFinish,
            finishDelta = i.FinishDelta,
        }),
        newlyMissedDeadlines = result.Diff.NewlyMissedDeadlines,
        newlyMetDeadlines = result.Diff.NewlyMetDeadlines,
        utilisation = result.Diff.Utilisation.Select(u => new { team = u.TeamKey, baseline = Math.Round(u.Baseline, 3), scenario = Math.Round(u.Scenario, 3) }),
        problems = result.Problems.Concat(result.ScenarioSchedule.Problems).Select(Problem),
    }, DiffOptions) + "\n";

    private static object Problem(RoadmapProblem p) => new { item = p.Item, field = p.Field, message = p.Message };

    private static string Name(ScheduleStatus status) => status.ToString().ToLowerInvariant();
}
