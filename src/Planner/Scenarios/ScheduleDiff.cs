using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Scenarios;

/// <summary>Baseline vs scenario, in numbers: every initiative's move, deadlines newly missed or newly met,
/// utilisation per team, and the end date.</summary>
public sealed record ScheduleDiff(
    IReadOnlyList<ItemDelta> Items,
    IReadOnlyList<string> NewlyMissedDeadlines,
    IReadOnlyList<string> NewlyMetDeadlines,
    IReadOnlyList<UtilisationDelta> Utilisation,
    int BaselineMakespanWeeks,
    int ScenarioMakespanWeeks)
{
    public int MakespanDeltaWeeks => ScenarioMakespanWeeks - BaselineMakespanWeeks;

    public IEnumerable<ItemDelta> Moved => Items.Where(i => i.Moved);

    public static ScheduleDiff Between(Workspace baselineWorkspace, Schedule baseline, Workspace scenarioWorkspace, Schedule scenario)
    {
        var keys = baseline.Items.Select(i => i.Key).Union(scenario.Items.Select(i => i.Key)).ToList();
        var items = keys.Select(key =>
        {
            var before = baseline.Find(key);
            var after = scenario.Find(key);
            var title = (scenarioWorkspace.FindInitiative(key) ?? baselineWorkspace.FindInitiative(key))!.Title;
            return new ItemDelta(key, title, before?.StartWeek, before?.FinishWeek, after?.StartWeek, after?.FinishWeek);
        }).ToList();

        var missedBefore = baseline.Problems.Where(p => p.Field == "deadline" && p.Item is not null).Select(p => p.Item!).ToHashSet();
        var missedAfter = scenario.Problems.Where(p => p.Field == "deadline" && p.Item is not null).Select(p => p.Item!).ToHashSet();

        var before = ScheduleAnalysis.Of(baselineWorkspace, baseline).Utilisation;
        var after = ScheduleAnalysis.Of(scenarioWorkspace, scenario).Utilisation;
        var utilisation = before.Select(b =>
        {
            var a = after.FirstOrDefault(x => x.TeamKey == b.TeamKey);
            return new UtilisationDelta(b.TeamKey, b.TeamName, b.Average, a?.Average ?? 0);
        }).ToList();

        return new ScheduleDiff(items,
            [.. missedAfter.Except(missedBefore).Order(StringComparer.Ordinal)],
            [.. missedBefore.Except(missedAfter).Order(StringComparer.Ordinal)],
            utilisation, baseline.MakespanWeeks, scenario.MakespanWeeks);
    }
}

/// <summary>One initiative's start and finish before and after (null where it is not in that plan).</summary>
public sealed record ItemDelta(string Key, string Title, int? BaselineStart, int? BaselineFinish, int? ScenarioStart, int? ScenarioFinish)
{
    public int? FinishDelta => BaselineFinish is { } b && ScenarioFinish is { } s ? s - b : null;
    public int? StartDelta => BaselineStart is { } b && ScenarioStart is { } s ? s - b : null;
    public bool Added => BaselineStart is null && ScenarioStart is not null;
    public bool Removed => BaselineStart is not null && ScenarioStart is null;
    public bool Moved => Added || Removed || FinishDelta != 0 || StartDelta != 0;
}

/// <summary>A team's average utilisation (booked ÷ capacity over the plan) before and after.</summary>
public sealed record UtilisationDelta(string TeamKey, string TeamName, double Baseline, double Scenario)
{
    public double Delta => Scenario - Baseline;
}
