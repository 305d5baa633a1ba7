using System.Globalization;
using Planner.Interchange;
using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Scenarios;

/// <summary>Two roadmaps compared (two saved versions, or a version and today's roadmap): initiatives added, removed and
/// changed field by field, and — from each roadmap's own computed schedule — the dates that moved and the end date.
/// Dates, not week numbers, so two versions with different planning starts compare correctly.</summary>
public sealed record RoadmapDiff(
    IReadOnlyList<InitiativeChange> Added,
    IReadOnlyList<InitiativeChange> Removed,
    IReadOnlyList<InitiativeChange> Changed,
    IReadOnlyList<DateMove> Moved,
    DateOnly? BeforeEnd,
    DateOnly? AfterEnd)
{
    /// <summary>Days the last finish moved (positive: later); null when either roadmap has no schedule.</summary>
    public int? EndDays => BeforeEnd is { } b && AfterEnd is { } a ? a.DayNumber - b.DayNumber : null;

    public bool Same => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0 && Moved.Count == 0 && EndDays is null or 0;

    /// <summary>The fields a founder edits, in the order the detail panel shows them, each as readable text.</summary>
    private static readonly (string Field, Func<Initiative, string> Show)[] Fields =
    [
        ("title", i => i.Title),
        ("description", i => i.Description),
        ("status", i => EnumNames.Of(i.Status)),
        ("durationWeeks", i => Number(i.DurationWeeks)),
        ("effortPersonWeeks", i => Number(i.EffortPersonWeeks)),
        ("demand", i => InitiativeText.FormatDemand(i.Demand)),
        ("dependsOn", i => InitiativeText.FormatDependencies(i.Dependencies)),
        ("objectives", i => string.Join(";", i.ObjectiveKeys)),
        ("tags", i => string.Join(";", i.Tags)),
        ("earliestStart", i => Date(i.EarliestStart)),
        ("lockedStart", i => Date(i.LockedStart)),
        ("deadline", i => Date(i.Deadline)),
        ("deadlineIsHard", i => i.DeadlineIsHard ? "hard" : "soft"),
        ("moscow", i => i.MoSCoW is { } m ? EnumNames.Of(m) : ""),
        ("reach", i => Number(i.Reach)),
        ("impact", i => Number(i.Impact)),
        ("confidence", i => Number(i.Confidence)),
        ("effort", i => Number(i.Effort)),
        ("businessValue", i => Number(i.BusinessValue)),
        ("timeCriticality", i => Number(i.TimeCriticality)),
        ("riskReduction", i => Number(i.RiskReduction)),
        ("ignoreEvidence", i => i.IgnoreEvidence ? "score ignores the evidence" : "score uses the evidence"),
    ];

    private static string Number<T>(T? value) where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture) ?? "";

    private static string Date(DateOnly? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <summary>Compares <paramref name="before"/> with <paramref name="after"/>, each with its own schedule (null or
    /// empty when it could not be scheduled: then no dates are compared for it).</summary>
    public static RoadmapDiff Between(Workspace before, Schedule? beforePlan, Workspace after, Schedule? afterPlan)
    {
        var beforeKeys = before.Initiatives.Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
        var afterKeys = after.Initiatives.Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
        var added = after.Initiatives.Where(i => !beforeKeys.Contains(i.Key)).Select(i => new InitiativeChange(i.Key, i.Title, [])).ToList();
        var removed = before.Initiatives.Where(i => !afterKeys.Contains(i.Key)).Select(i => new InitiativeChange(i.Key, i.Title, [])).ToList();

        var changed = new List<InitiativeChange>();
        var moved = new List<DateMove>();
        foreach (var now in after.Initiatives)
        {
            if (before.FindInitiative(now.Key) is not { } was) continue;
            var fields = Fields.Select(f => new FieldChange(f.Field, f.Show(was), f.Show(now))).Where(f => f.Before != f.After).ToList();
            if (fields.Count > 0) changed.Add(new InitiativeChange(now.Key, now.Title, fields));
            if (beforePlan?.Find(now.Key) is { } b && afterPlan?.Find(now.Key) is { } a)
            {
                var move = new DateMove(now.Key, now.Title, Start(before, b), Finish(before, b), Start(after, a), Finish(after, a));
                if (move.StartDays != 0 || move.FinishDays != 0) moved.Add(move);
            }
        }
        return new RoadmapDiff(added, removed, changed, moved, End(before, beforePlan), End(after, afterPlan));
    }

    private static DateOnly Start(Workspace workspace, ScheduledItem item) => workspace.WeekStart(item.StartWeek);

    /// <summary>The last day of the work (a milestone: its day).</summary>
    private static DateOnly Finish(Workspace workspace, ScheduledItem item) =>
        item.FinishWeek == item.StartWeek ? workspace.WeekStart(item.StartWeek) : workspace.WeekStart(item.FinishWeek).AddDays(-1);

    /// <summary>The day the whole plan is done, as the Timeline says it ("done by").</summary>
    private static DateOnly? End(Workspace workspace, Schedule? plan) =>
        plan is { Items.Count: > 0 } ? workspace.WeekStart(plan.MakespanWeeks).AddDays(-1) : null;
}
