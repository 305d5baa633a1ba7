using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.SemanticKernel.ChatCompletion;
using Planner.Documents;
using Planner.Llm;
using Planner.Prioritization;
using Planner.Roadmaps;
using Planner.Scenarios;
using Planner.Scheduling;

namespace Planner.Assistant.Drafting;

/// <summary>Drafts a roadmap from a brief: workspace facts and the best document passages go into the DraftRoadmap
/// prompt; the model answers under a grammar generated from the initiatives schema; the reply is parsed and validated
/// item by item; the planning engine scores and schedules the roadmap with the valid items added. The narrative
/// summary is written by the model from facts the engine computed.</summary>
public sealed class RoadmapDrafter(PromptLibrary prompts, ScenarioRunner scenarios, Func<string, int, IReadOnlyList<SearchHit>>? search)
{
    /// <summary>Rough characters per token for budgeting a prompt before the model's tokenizer is at hand (GPT-2 BPE on
    /// English averages about four; three keeps a margin). The model runtime still cuts a prompt that does not fit.</summary>
    private const double CharsPerToken = 3.0;

    /// <summary>The shortest DraftRoadmap prompt for the sample workspace (its five teams, no initiatives, no passages,
    /// a one-line brief) in GPT-2 tokens: 317 measured, rounded up. A context that cannot hold this and the reply cannot
    /// draft: the runtime would cut the instructions from the prompt's start and give the reply a quarter of the
    /// context (a 256-token model: 64 tokens, whatever the output limit).</summary>
    public const int MinimumPromptTokens = 320;

    public static string? CheckBrief(string? brief) =>
        string.IsNullOrWhiteSpace(brief) ? "Write a brief first: what should the roadmap achieve?" :
        brief.Length > 4000 ? "The brief is too long (over 4,000 characters); keep it to a few sentences." : null;

    public async Task<(string Prompt, IReadOnlyList<SearchHit> Passages)> PromptAsync(Workspace workspace, string brief, DraftOptions options, int contextTokens, CancellationToken ct = default)
    {
        var budget = (int)((contextTokens - options.MaxOutputTokens - 8) * CharsPerToken);
        var passages = search?.Invoke(brief, options.Passages) ?? [];
        var teams = string.Join("\n", workspace.Teams.Select(t => $"{t.Key}: {t.Name}, {t.Capacity} people"));
        var company = $"{workspace.CompanyName} ({workspace.Stage}{(workspace.RunwayMonths is { } r ? $", {r} months of runway" : "")}). {workspace.Vision}".Trim();
        // The highest-ranked existing initiatives first; as many passages and initiatives as the context allows.
        var ranked = Prioritizer.Rank(workspace).Select(s => workspace.FindInitiative(s.Key)!).Where(i => i.Status != InitiativeStatus.Dropped).ToList();
        for (int passageCount = passages.Count, initiativeCount = ranked.Count; ; )
        {
            var prompt = await Render(company, teams, ranked.Take(initiativeCount), passages.Take(passageCount).ToList(), brief, options, ct);
            if (prompt.Length <= budget || (passageCount == 0 && initiativeCount == 0)) return (prompt, passages.Take(passageCount).ToList());
            // Shed the least useful first: low-ranked initiatives, extra passages, the rest of the initiatives, the last passage.
            if (initiativeCount > 8) initiativeCount = Math.Max(8, initiativeCount * 2 / 3);
            else if (passageCount > 1) passageCount--;
            else if (initiativeCount > 0) initiativeCount--;
            else passageCount--;
        }
    }

    private Task<string> Render(string company, string teams, IEnumerable<Initiative> initiatives, List<SearchHit> passages, string brief, DraftOptions options, CancellationToken ct)
    {
        var numbered = new StringBuilder();
        for (var n = 0; n < passages.Count; n++)
            numbered.Append('[').Append(n + 1).Append("] (").Append(passages[n].Citation).Append(") ").Append(PromptText.Squash(passages[n].Text, 300)).Append('\n');
        return prompts.RenderAsync("DraftRoadmap", new Dictionary<string, object?>
        {
            ["company"] = company,
            ["teams"] = teams,
            ["initiatives"] = string.Join("\n", initiatives.Select(i => $"{i.Key}: {i.Title}")) is { Length: > 0 } s ? s : "(none yet)",
            ["passages"] = numbered.Length > 0 ? numbered.ToString().TrimEnd() : "(no documents)",
            ["brief"] = brief.Trim(),
            ["count"] = options.MaxItems.ToString(CultureInfo.InvariantCulture),
        }, ct);
    }


    /// <summary>Runs the model and the planning engine. <paramref name="onText"/> receives the reply as it streams.</summary>
    public async Task<Draft> DraftAsync(ChatBackend backend, Workspace workspace, string brief, DraftOptions options, Action<string>? onText = null,
        SchedulerOptions? scheduler = null, CancellationToken ct = default)
    {
        if (CheckBrief(brief) is { } bad) return Draft.Failed(brief, bad);
        if (options.Check() is { } wrong) return Draft.Failed(brief, wrong);
        if (workspace.Teams.All(t => t.PeakCapacity == 0)) return Draft.Failed(brief, "Add a team with people to the workspace first: drafted initiatives are planned for its teams.");
        if (backend.ContextTokens < options.MaxOutputTokens + MinimumPromptTokens)
            return Draft.Failed(brief, string.Create(CultureInfo.InvariantCulture,
                $"{backend.ModelName} holds {backend.ContextTokens} tokens of context in all: too few for the drafting instructions (about {MinimumPromptTokens} tokens) and a reply of up to {options.MaxOutputTokens} tokens. Choose a model with a larger context on the Models page{(backend.ContextTokens > MinimumPromptTokens + 64 ? $", or lower the output limit to {backend.ContextTokens - MinimumPromptTokens} tokens" : "")}."));
        var (prompt, passages) = await PromptAsync(workspace, brief, options, backend.ContextTokens, ct);
        var history = new ChatHistory();
        history.AddUserMessage(prompt);
        var settings = ChatSettings.Create(options.MaxOutputTokens, options.Temperature, DraftGrammar.For(workspace, options));
        var reply = new StringBuilder();
        GenerationReport? generation = null;
        await foreach (var update in backend.Service.GetStreamingChatMessageContentsAsync(history, settings, cancellationToken: ct))
        {
            generation = LocalChatCompletionService.ReportOf(update) ?? generation;
            if (string.IsNullOrEmpty(update.Content)) continue;
            reply.Append(update.Content);
            onText?.Invoke(update.Content);
        }
        var (items, problems) = DraftParser.Parse(reply.ToString(), workspace, options, generation);
        if (items.Count == 0) return new Draft(brief, passages, reply.ToString(), [], problems, null, []) { Generation = generation };

        var result = scenarios.Run(workspace, items.Select(i => (ScenarioChange)new AddInitiative(i)).ToList(), scheduler ?? SchedulerOptions.Default, ct);
        var allProblems = problems.Concat(result.Problems.Select(p => $"Planning: {p}")).ToList();
        var scores = result.Problems.Count == 0 ? Prioritizer.Rank(result.Scenario) : [];
        return new Draft(brief, passages, reply.ToString(), items, allProblems, result.Problems.Count == 0 ? result : null, scores) { Generation = generation };
    }

    /// <summary>The facts the summary is written from — computed, never generated; shown beside the narrative.</summary>
    public static string Facts(Draft draft)
    {
        if (draft.Result is not { } result) return "";
        var text = new StringBuilder();
        var total = draft.Scores.Count;
        foreach (var item in draft.Items)
        {
            var at = result.ScenarioSchedule.Find(item.Key);
            var score = draft.ScoreOf(item.Key);
            text.Append("- ").Append(item.Key).Append(' ').Append(item.Title).Append(": ")
                .Append(item.ResolvedDurationWeeks).Append(" weeks, ")
                .Append(string.Join(", ", item.Demand.Select(d => $"{d.People} {d.TeamKey}")));
            if (score is not null) text.Append("; rank ").Append(score.Rank).Append(" of ").Append(total).Append(" (").Append(score.Breakdown).Append(')');
            if (at is not null) text.Append("; weeks ").Append(at.StartWeek).Append('–').Append(at.FinishWeek)
                .Append(" (").Append(result.Scenario.WeekStart(at.StartWeek).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                .Append(" to ").Append(result.Scenario.WeekStart(at.FinishWeek).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(')');
            text.Append('\n');
        }
        text.Append(Impact(draft));
        return text.ToString();
    }

    /// <summary>What adding the drafted items does to the plan, in words written by code from the computed diff.</summary>
    public static string Impact(Draft draft) => draft.Result?.Summary.Replace("With add ", "With ", StringComparison.Ordinal) ?? "";

    /// <summary>Streams the narrative written by the model from <see cref="Facts"/>.</summary>
    public async IAsyncEnumerable<string> SummarizeAsync(ChatBackend backend, Draft draft, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (draft.Result is null) yield break;
        var prompt = await prompts.RenderAsync("SummarizeRoadmap", new Dictionary<string, object?> { ["brief"] = draft.Brief.Trim(), ["facts"] = Facts(draft) }, ct);
        var history = new ChatHistory();
        history.AddUserMessage(prompt);
        await foreach (var update in backend.Service.GetStreamingChatMessageContentsAsync(history, ChatSettings.Create(160, 0.3), cancellationToken: ct))
        {
            if (!string.IsNullOrEmpty(update.Content)) yield return update.Content;
        }
    }

    /// <summary>The current workspace with the chosen drafted items added under fresh keys (i37, i38, … after the
    /// highest numbered key); the caller saves it as a new roadmap version.</summary>
    public static Workspace Accept(Workspace current, Draft draft, IReadOnlyCollection<string> keys)
    {
        var unknown = keys.Where(k => draft.Items.All(i => i.Key != k)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"Not drafted items: {string.Join(", ", unknown)}.", nameof(keys));
        var next = current.Clone();
        foreach (var item in draft.Items.Where(i => keys.Contains(i.Key)))
        {
            var added = item.Clone();
            added.Key = next.NextInitiativeKey();
            added.Id = 0;
            added.Version = 0;
            added.Order = next.Initiatives.Count == 0 ? 0 : next.Initiatives.Max(i => i.Order) + 1;
            next.Initiatives.Add(added);
        }
        return next;
    }
}
