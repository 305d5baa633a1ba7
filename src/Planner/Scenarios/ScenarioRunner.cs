using System.Globalization;
using System.Text;
using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Scenarios;

/// <summary>Answers "what if": applies changes to a copy of the workspace, reschedules both with the same
/// scheduler and options, and diffs them. The real workspace is never touched.</summary>
public sealed class ScenarioRunner(IScheduler scheduler)
{
    /// <summary>The scheduler both plans are computed with.</summary>
    public IScheduler Scheduler => scheduler;

    public ScenarioResult Run(Workspace workspace, IReadOnlyList<ScenarioChange> changes, SchedulerOptions? options = null, CancellationToken ct = default)
    {
        options ??= SchedulerOptions.Default;
        if (RoadmapValidator.Validate(workspace) is { Count: > 0 } invalid)
        {
            // Schedulers expect a valid roadmap (e.g. one stored before today's bounds may not be): say why instead.
            var none = new Schedule([], invalid);
            return new ScenarioResult(changes, workspace.Clone(), none, none, new ScheduleDiff([], [], [], [], 0, 0),
                "The roadmap cannot be scheduled: " + string.Join(" ", invalid.Select(p => p.ToString())), invalid);
        }
        var baseline = scheduler.Schedule(workspace, options, ct);
        return Run(workspace, baseline, changes, options, ct);
    }

    /// <summary>As <see cref="Run(Workspace, IReadOnlyList{ScenarioChange}, SchedulerOptions?, CancellationToken)"/>,
    /// reusing a baseline schedule already computed with the same options.</summary>
    public ScenarioResult Run(Workspace workspace, Schedule baseline, IReadOnlyList<ScenarioChange> changes, SchedulerOptions options, CancellationToken ct = default)
    {
        var copy = workspace.Clone();
        var scenarioOptions = new ScenarioOptions(options);
        var problems = changes.Select(c => c.Apply(copy, baseline, scenarioOptions)).OfType<RoadmapProblem>().ToList();
        problems.AddRange(RoadmapValidator.Validate(copy));
        if (problems.Count > 0)
            return new ScenarioResult(changes, copy, baseline, baseline, ScheduleDiff.Between(workspace, baseline, workspace, baseline),
                "The scenario cannot be computed: " + string.Join(" ", problems.Select(p => p.ToString())), problems);

        if (scenarioOptions.Scheduler.Objective != options.Objective || scenarioOptions.Scheduler.HorizonWeeks != options.HorizonWeeks)
        {
            // Compare like with like: the baseline under the scenario's objective and horizon too.
            baseline = scheduler.Schedule(workspace, scenarioOptions.Scheduler with { First = [] }, ct);
        }
        // Among equally good plans, the one closest to the baseline: the diff shows what the change forces.
        var anchor = baseline.Items.ToDictionary(i => i.Key, i => i.StartWeek);
        var scenario = scheduler.Schedule(copy, scenarioOptions.Scheduler with { Anchor = anchor }, ct);
        var diff = ScheduleDiff.Between(workspace, baseline, copy, scenario);
        return new ScenarioResult(changes, copy, baseline, scenario, diff, Summarize(workspace, changes, baseline, scenario, diff), []);
    }

    /// <summary>The answer in words, from the computed numbers only.</summary>
    public static string Summarize(Workspace workspace, IReadOnlyList<ScenarioChange> changes, Schedule baseline, Schedule scenario, ScheduleDiff diff)
    {
        var text = new StringBuilder();
        text.Append("With ").Append(string.Join(", ", changes.Select(c => c.Describe()))).Append(": ");
        var end = workspace.WeekStart(diff.ScenarioMakespanWeeks).AddDays(-1);
        text.Append(diff.MakespanDeltaWeeks switch
        {
            0 => $"everything still finishes in week {diff.ScenarioMakespanWeeks} ({end:yyyy-MM-dd}).",
            > 0 => $"everything finishes {diff.MakespanDeltaWeeks} week{(diff.MakespanDeltaWeeks == 1 ? "" : "s")} later, in week {diff.ScenarioMakespanWeeks} ({end:yyyy-MM-dd}).",
            _ => $"everything finishes {-diff.MakespanDeltaWeeks} week{(diff.MakespanDeltaWeeks == -1 ? "" : "s")} earlier, in week {diff.ScenarioMakespanWeeks} ({end:yyyy-MM-dd}).",
        });

        var later = diff.Items.Where(i => i.FinishDelta > 0).OrderByDescending(i => i.FinishDelta).ThenBy(i => i.Key, StringComparer.Ordinal).ToList();
        var earlier = diff.Items.Where(i => i.FinishDelta < 0).OrderBy(i => i.FinishDelta).ThenBy(i => i.Key, StringComparer.Ordinal).ToList();
        if (later.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $" {later.Count} initiative{(later.Count == 1 ? "" : "s")} finish later: ")
                .Append(string.Join(", ", later.Take(5).Select(i => $"{i.Key} {i.Title} (+{i.FinishDelta} wk)")))
                .Append(later.Count > 5 ? $" and {later.Count - 5} more." : ".");
        if (earlier.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $" {earlier.Count} finish earlier: ")
                .Append(string.Join(", ", earlier.Take(5).Select(i => $"{i.Key} {i.Title} ({i.FinishDelta} wk)")))
                .Append(earlier.Count > 5 ? $" and {earlier.Count - 5} more." : ".");
        if (later.Count == 0 && earlier.Count == 0) text.Append(" No initiative moves.");
        var added = diff.Items.Where(i => i.Added).ToList();
        var removed = diff.Items.Where(i => i.Removed).ToList();
        if (added.Count > 0) text.Append(" Added: ").Append(string.Join(", ", added.Select(i => $"{i.Key} (weeks {i.ScenarioStart}–{i.ScenarioFinish})"))).Append('.');
        if (removed.Count > 0) text.Append(" Removed: ").Append(string.Join(", ", removed.Select(i => i.Key))).Append('.');
        if (diff.NewlyMissedDeadlines.Count > 0) text.Append(" Newly missed deadlines: ").Append(string.Join(", ", diff.NewlyMissedDeadlines)).Append('.');
        if (diff.NewlyMetDeadlines.Count > 0) text.Append(" Deadlines now met: ").Append(string.Join(", ", diff.NewlyMetDeadlines)).Append('.');
        var beyond = scenario.Problems.Where(p => p.Field == "horizon").Select(p => p.Item).ToList();
        if (beyond.Count > 0) text.Append(CultureInfo.InvariantCulture, $" {beyond.Count} initiative{(beyond.Count == 1 ? "" : "s")} do not finish within the horizon: {string.Join(", ", beyond)}.");
        if (scenario.Status == ScheduleStatus.Infeasible) text.Append(" The scenario has no feasible schedule: ").Append(string.Join(" ", scenario.Problems.Where(p => p.Field != "horizon").Select(p => p.ToString()))).Append('.');
        var utilisation = diff.Utilisation.Where(u => Math.Abs(u.Delta) >= 0.005).Select(u =>
            string.Create(CultureInfo.InvariantCulture, $"{u.TeamName} {u.Baseline * 100:0}% → {u.Scenario * 100:0}%"));
        var utilisationText = string.Join(", ", utilisation);
        if (utilisationText.Length > 0) text.Append(" Utilisation: ").Append(utilisationText).Append('.');
        return text.ToString();
    }
}
