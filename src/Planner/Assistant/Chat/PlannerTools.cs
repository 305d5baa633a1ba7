using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.SemanticKernel;
using Planner.Documents;
using Planner.Prioritization;
using Planner.Roadmaps;
using Planner.Scenarios;
using Planner.Scheduling;

namespace Planner.Assistant.Chat;

/// <summary>What the tools of one chat turn work on: a snapshot of the workspace (the saved roadmap is never touched
/// by a tool), its schedule computed once, the document search, and the log the answer's cards are built from.</summary>
public sealed class ToolContext(Workspace workspace, Func<string, int, IReadOnlyList<SearchHit>>? search, SchedulerOptions scheduler, ToolLog log,
    ScenarioRunner scenarios)
{
    private Schedule? baseline;

    public Workspace Workspace { get; } = workspace.Clone();
    public Func<string, int, IReadOnlyList<SearchHit>>? Search { get; } = search;
    public SchedulerOptions Scheduler { get; } = scheduler;
    public ToolLog Log { get; } = log;
    public ScenarioRunner Scenarios { get; } = scenarios;
    /// <summary>The workspace's schedule; for a roadmap that breaks the validator's rules (one saved before today's
    /// bounds), no schedule but those problems, which the schedulers are not given.</summary>
    public Schedule Baseline => baseline ??= Invalid.Count > 0
        ? new Schedule([], Invalid) { Status = ScheduleStatus.Infeasible }
        : Scenarios.Scheduler.Schedule(Workspace, Scheduler);

    /// <summary>What the validator finds wrong with the workspace (usually nothing).</summary>
    public IReadOnlyList<RoadmapProblem> Invalid => invalid ??= RoadmapValidator.Validate(Workspace);

    private IReadOnlyList<RoadmapProblem>? invalid;

    internal static string Args(params (string Name, object? Value)[] args) =>
        JsonSerializer.Serialize(args.ToDictionary(a => a.Name, a => a.Value));
}

/// <summary>Read-only facts about the roadmap: initiatives and the computed schedule.</summary>
public sealed class RoadmapPlugin(ToolContext context)
{
    [KernelFunction("list_initiatives")]
    [Description("Lists the roadmap's initiatives with id, title, rank, team demand, weeks, scheduled dates and tags. Optionally only those whose title or description contains each filter word, or that carry it as a tag.")]
    public string ListInitiatives([Description("Words to filter by; empty for all initiatives.")] string filter = "")
    {
        var ws = context.Workspace;
        var words = filter.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ranks = Prioritizer.Rank(ws).ToDictionary(s => s.Key, s => s.Rank);
        var items = ws.Initiatives
            .Where(i => i.Status != InitiativeStatus.Dropped)
            .Where(i => words.All(w => i.Title.Contains(w, StringComparison.OrdinalIgnoreCase) || i.Description.Contains(w, StringComparison.OrdinalIgnoreCase)
                                       || i.Tags.Contains(w, InitiativeTags.Comparer)))
            .OrderBy(i => ranks.GetValueOrDefault(i.Key, int.MaxValue)).ThenBy(i => i.Key, StringComparer.Ordinal)
            .Take(40).ToList();
        var text = new StringBuilder();
        text.Append(items.Count).Append(items.Count == 1 ? " initiative" : " initiatives").Append(filter.Length > 0 ? $" matching '{filter}'" : "").Append(":\n");
        foreach (var i in items) text.Append(Line(ws, i, ranks.GetValueOrDefault(i.Key), context.Baseline.Find(i.Key))).Append('\n');
        return context.Log.Add(new ToolRecord("list_initiatives", ToolContext.Args(("filter", filter)), text.ToString().TrimEnd(), false));
    }

    [KernelFunction("schedule_facts")]
    [Description("The computed schedule: when everything finishes, the critical chain, missed deadlines and team utilisation.")]
    public string ScheduleFacts()
    {
        var ws = context.Workspace;
        var schedule = context.Baseline;
        if (context.Invalid.Count > 0)
            return context.Log.Add(new ToolRecord("schedule_facts", "{}", "The roadmap cannot be scheduled: " + string.Join(" ", context.Invalid.Select(p => p.ToString())), true));
        var analysis = ScheduleAnalysis.Of(ws, schedule);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Everything finishes in week {schedule.MakespanWeeks} ({Date(ws, schedule.MakespanWeeks, end: true)}); plan starts {ws.PlanningStart:yyyy-MM-dd}; solver: {schedule.Method}, {schedule.Status}.\n");
        text.Append("Critical chain: ").Append(string.Join(" → ", analysis.CriticalPath.Select(c => $"{c.Key} (weeks {c.StartWeek}–{c.FinishWeek})"))).Append('\n');
        var missed = analysis.DeadlineReasons;
        text.Append(missed.Count == 0 ? "No deadline is missed.\n" : "Missed deadlines: " + string.Join("; ", missed.Select(m => m.ToString())) + "\n");
        text.Append("Utilisation: ").Append(string.Join(", ", analysis.Utilisation.Select(u => $"{u.TeamName} {u.Average:P0}")));
        return context.Log.Add(new ToolRecord("schedule_facts", "{}", text.ToString(), false));
    }

    internal static string Line(Workspace ws, Initiative i, int rank, ScheduledItem? at) =>
        $"{i.Key}: {i.Title} — rank {rank}, {i.ResolvedDurationWeeks} weeks, {string.Join(" + ", i.Demand.Select(d => $"{d.People} {d.TeamKey}"))}" +
        (at is null ? "" : $", weeks {at.StartWeek}–{at.FinishWeek} ({Date(ws, at.StartWeek)} to {Date(ws, at.FinishWeek, end: true)})") +
        (i.Deadline is { } dl ? $", deadline {dl:yyyy-MM-dd}" : "") +
        (i.Tags.Count > 0 ? $", tags {string.Join(", ", i.Tags)}" : "");

    internal static string Date(Workspace ws, int week, bool end = false) =>
        (end ? ws.WeekStart(week).AddDays(-1) : ws.WeekStart(week)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>What-ifs through <see cref="ScenarioRunner"/>: computed on a copy; applying one takes the founder's click.</summary>
public sealed class ScenarioPlugin(ToolContext context)
{
    [KernelFunction("run_scenario")]
    [Description("Computes a what-if on a copy of the roadmap and returns how the schedule changes. It does not change the saved roadmap: the founder can apply the result with a click.")]
    public string RunScenario([Description("The changes, one per item, in the scenario language, e.g. 'capacity be -2 from week 12' or 'first i5'.")] string[] changes)
    {
        var args = ToolContext.Args(("changes", changes));
        if (changes.Length is 0 or > 8)
            return context.Log.Add(new ToolRecord("run_scenario", args, "Give between one and eight changes.", true));
        var parsed = new List<ScenarioChange>();
        foreach (var spec in changes)
        {
            if (!ScenarioSpec.TryParse(spec, context.Workspace, out var change, out var error))
                return context.Log.Add(new ToolRecord("run_scenario", args, error!, true));
            parsed.Add(change!);
        }
        var result = context.Scenarios.Run(context.Workspace, context.Baseline, parsed, context.Scheduler);
        if (result.Problems.Count > 0) return context.Log.Add(new ToolRecord("run_scenario", args, result.Summary, true));
        return context.Log.Add(new ToolRecord("run_scenario", args, result.Summary, false, ScenarioCard.From(changes, result)));
    }
}

/// <summary>Search of the founder's documents; every passage returned gets a number to cite as [n].</summary>
public sealed class DocumentsPlugin(ToolContext context)
{
    public const int Passages = 3;

    [KernelFunction("search_documents")]
    [Description("Searches the founder's documents and customer reviews; returns numbered passages to cite as [n].")]
    public string SearchDocuments([Description("What to look for.")] string query)
    {
        var args = ToolContext.Args(("query", query));
        if (context.Search is null) return context.Log.Add(new ToolRecord("search_documents", args, "No documents are available.", true));
        if (string.IsNullOrWhiteSpace(query)) return context.Log.Add(new ToolRecord("search_documents", args, "Say what to search for.", true));
        var first = context.Log.NextPassageNumber;
        var passages = context.Search(query, Passages).Select((h, n) => new CitedPassage(first + n, h.Citation, h.Text.Trim())).ToList();
        var text = passages.Count == 0
            ? "No passage matches."
            : string.Join("\n", passages.Select(p => $"[{p.Number}] ({p.Citation}) {PromptText.Squash(p.Text, 300)}"));
        return context.Log.Add(new ToolRecord("search_documents", args, text, false, PassagesOrNull: passages));
    }

}
