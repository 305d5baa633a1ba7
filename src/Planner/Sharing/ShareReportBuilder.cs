using Planner.Interchange;
using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Sharing;

/// <summary>Builds the <see cref="ShareReport"/> of a workspace from its computed schedule.</summary>
public static class ShareReportBuilder
{
    /// <summary>Work that starts within this many weeks of the share's day is "next"; later work is "later".</summary>
    public const int NextWeeks = 13;

    /// <summary>Plans longer than this many weeks are drawn by quarter unless a scale is asked for.</summary>
    public const int MonthlyUpToWeeks = 30;

    public static ShareReport Build(Workspace workspace, Schedule schedule, DateOnly today, ShareScale? scale = null)
    {
        var order = workspace.Initiatives.Select((i, n) => (i.Key, n)).ToDictionary(x => x.Key, x => x.n, StringComparer.Ordinal);
        var items = new List<ShareItem>();
        foreach (var scheduled in schedule.Items.OrderBy(s => s.StartWeek).ThenBy(s => order.GetValueOrDefault(s.Key, int.MaxValue)))
        {
            if (workspace.FindInitiative(scheduled.Key) is not { Status: not InitiativeStatus.Dropped } item) continue;
            var start = workspace.WeekStart(scheduled.StartWeek);
            var milestone = scheduled.FinishWeek == scheduled.StartWeek;
            var finish = milestone ? start : workspace.WeekStart(scheduled.FinishWeek).AddDays(-1);
            items.Add(new ShareItem(item.Key, item.Title, item.Status, start, finish, milestone, item.Deadline,
                item.Deadline is { } deadline && finish > deadline, HorizonOf(item, start, finish, today)) { Tags = [.. item.Tags] });
        }

        var end = items.Count == 0 ? (DateOnly?)null : items.Max(i => i.Finish);
        var weeks = schedule.MakespanWeeks;
        var infeasible = schedule.Status == ScheduleStatus.Infeasible;
        var said = schedule.Problems.Select(p => Describe(workspace, p)).Distinct().ToList();
        return new ShareReport
        {
            WorkspaceName = workspace.Name,
            Company = workspace.CompanyName.Length > 0 ? workspace.CompanyName : workspace.Name,
            Vision = workspace.Vision,
            Stage = EnumNames.Of(workspace.Stage),
            RunwayMonths = workspace.RunwayMonths,
            PlanningStart = workspace.PlanningStart,
            Today = today,
            Scale = scale ?? (weeks > MonthlyUpToWeeks ? ShareScale.Quarter : ShareScale.Month),
            Status = schedule.Status,
            End = end,
            Weeks = weeks,
            Objectives = [.. workspace.Objectives.Select(o => new ShareObjective(o.Key, o.Title,
                [.. o.KeyResults.Select(KeyResultText.Describe)], ObjectiveProgress.Of(o, workspace.Initiatives)))],
            Items = items,
            Done = [.. workspace.Initiatives.Where(i => i.Status == InitiativeStatus.Done).Select(i => i.Title)],
            KeyDates = KeyDates(workspace, items, end),
            Risks = infeasible ? [] : said,
            InfeasibleReasons = infeasible ? said : [],
        };
    }

    private static ShareHorizon HorizonOf(Initiative item, DateOnly start, DateOnly finish, DateOnly today)
    {
        if (item.Status == InitiativeStatus.InProgress || (start <= today && today <= finish)) return ShareHorizon.Now;
        return start.DayNumber - today.DayNumber < 7 * NextWeeks ? ShareHorizon.Next : ShareHorizon.Later;
    }

    private static List<ShareDate> KeyDates(Workspace workspace, List<ShareItem> items, DateOnly? end)
    {
        var dates = new List<ShareDate> { new(workspace.PlanningStart, "Planning starts") };
        foreach (var item in items.Where(i => i.IsMilestone)) dates.Add(new(item.Start, $"Milestone: {item.Title}"));
        foreach (var item in items.Where(i => i.Deadline is not null))
        {
            var hard = workspace.FindInitiative(item.Key)?.DeadlineIsHard == true ? "hard " : "";
            dates.Add(new(item.Deadline!.Value, $"{item.Title}: {hard}deadline{(item.MissesDeadline ? $" (planned done {item.Finish:yyyy-MM-dd}: missed)" : "")}"));
        }
        if (end is { } last) dates.Add(new(last, "Everything planned is done"));
        return [.. dates.OrderBy(d => d.Date)];
    }

    /// <summary>A problem in a stakeholder's words: the initiative's title rather than its id.</summary>
    private static string Describe(Workspace workspace, RoadmapProblem problem) =>
        problem.Item is { } key && workspace.FindInitiative(key) is { } item ? $"{item.Title} ({key}): {problem.Message}"
        : problem.Item is { } other ? $"{other}: {problem.Message}"
        : problem.Message;
}
