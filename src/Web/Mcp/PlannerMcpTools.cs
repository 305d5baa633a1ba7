using System.ComponentModel;
using System.Text;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using Planner.Assistant.Chat;
using Planner.Persistence;
using Planner.Roadmaps;
using Planner.Scenarios;
using Planner.Scheduling;
using Planner.Web.Api;

namespace Planner.Web.Mcp;

/// <summary>The planner's tools for other assistants over the Model Context Protocol: the same tools the chat uses
/// (<see cref="RoadmapPlugin"/>, <see cref="ScenarioPlugin"/>, <see cref="DocumentsPlugin"/>), on a copy of the saved
/// roadmap, so they never change it; and <c>propose_change</c>, which leaves a scenario card in the workspace's chat
/// for the founder to apply with a click. Every answer is computed by the planner, not written by a model.</summary>
[McpServerToolType]
public sealed class PlannerMcpTools(RoadmapStore store, ScenarioRunner scenarios, DocumentLibrary documents, ChatHistoryStore chats,
    IHttpContextAccessor http, TimeProvider clock)
{
    [McpServerTool(Name = "list_initiatives", ReadOnly = true, Idempotent = true)]
    [Description("Lists the roadmap's initiatives with id, title, rank, team demand, weeks, scheduled dates and tags, optionally only those whose title or description contains each filter word, or that carry it as a tag.")]
    public Task<string> ListInitiatives(
        [Description("Words to filter by; empty for all initiatives.")] string filter = "",
        [Description("The workspace; empty for the first one (or the one the token is for).")] string workspace = "",
        CancellationToken ct = default)
        => OrOutage(async () =>
        {
            if (await ContextAsync(workspace, ct) is not { } context) return NoWorkspace(workspace);
            return new RoadmapPlugin(context).ListInitiatives(filter.Length > Web.TextLimits.ShortText ? filter[..Web.TextLimits.ShortText] : filter);
        });

    [McpServerTool(Name = "schedule_facts", ReadOnly = true, Idempotent = true)]
    [Description("The computed schedule: when everything finishes, the solver's status, the critical chain, missed deadlines and team utilisation.")]
    public Task<string> ScheduleFacts(
        [Description("The workspace; empty for the first one (or the one the token is for).")] string workspace = "",
        CancellationToken ct = default)
        => OrOutage(async () =>
        {
            if (await ContextAsync(workspace, ct) is not { } context) return NoWorkspace(workspace);
            return new RoadmapPlugin(context).ScheduleFacts();
        });

    [McpServerTool(Name = "run_scenario", ReadOnly = true, Idempotent = true)]
    [Description("Computes a what-if on a copy of the roadmap and returns how the schedule changes. Nothing is saved. Changes, one per item: " + ScenarioSpec.Help)]
    public Task<string> RunScenario(
        [Description("One to eight changes in the scenario language, e.g. 'capacity be -2 from 2027-04-05' or 'delay i5 4'.")] string[] changes,
        [Description("The workspace; empty for the first one (or the one the token is for).")] string workspace = "",
        CancellationToken ct = default)
        => OrOutage(async () =>
        {
            if (await ContextAsync(workspace, ct) is not { } context) return NoWorkspace(workspace);
            if (PlanFacts.ParseChanges(context.Workspace, changes).Error is { } error) return error;
            return new ScenarioPlugin(context).RunScenario(changes);
        });

    [McpServerTool(Name = "search_documents", ReadOnly = true, Idempotent = true)]
    [Description("Searches the founder's documents and customer reviews; returns numbered passages with their citations.")]
    public Task<string> SearchDocuments([Description("What to look for.")] string query) => OrOutage(() =>
    {
        if (string.IsNullOrWhiteSpace(query) || query.Length > Web.TextLimits.ShortText) return Task.FromResult($"Say what to look for, in at most {Web.TextLimits.ShortText} characters.");
        var context = new ToolContext(new Workspace { Name = "" }, documents.Search, SchedulerOptions.Default, new ToolLog(), scenarios);
        return Task.FromResult(new DocumentsPlugin(context).SearchDocuments(query));
    });

    [McpServerTool(Name = "evidence", ReadOnly = true, Idempotent = true)]
    [Description("Customer-review evidence per initiative: how many reviews matched, their share, sentiment and example quotes.")]
    public Task<string> Evidence(
        [Description("An initiative id; empty for every initiative that has evidence.")] string initiative = "",
        [Description("The workspace; empty for the first one (or the one the token is for).")] string workspace = "",
        CancellationToken ct = default)
        => OrOutage(async () =>
        {
            if (await ContextAsync(workspace, ct) is not { } context) return NoWorkspace(workspace);
            var items = context.Workspace.Initiatives.Where(i => initiative.Length == 0 ? i.Evidence is not null : i.Key == initiative).ToList();
            if (items.Count == 0) return initiative.Length == 0 ? "No initiative has evidence yet." : $"There is no initiative '{initiative}'.";
            var text = new StringBuilder();
            foreach (var i in items)
            {
                text.Append(i.Key).Append(": ").Append(i.Title).Append(" — ");
                text.Append(i.Evidence is { } e ? e.Summary() + (i.IgnoreEvidence ? " (ignored in its scores)" : "") : "no evidence").Append('\n');
            }
            return text.ToString().TrimEnd();
        });

    [McpServerTool(Name = "propose_change", Destructive = false)]
    [Description("Proposes a change to the roadmap: computes it as a scenario and leaves it on the founder's Chat page as a card. The roadmap changes only if the founder presses Apply there.")]
    public Task<string> ProposeChange(
        [Description("One to eight changes in the scenario language.")] string[] changes,
        [Description("Why you propose it, in a sentence the founder will read.")] string reason,
        [Description("The workspace; empty for the first one (or the one the token is for).")] string workspace = "",
        CancellationToken ct = default)
        => OrOutage(async () =>
        {
            if (await ContextAsync(workspace, ct) is not { } context) return NoWorkspace(workspace);
            if (PlanFacts.ParseChanges(context.Workspace, changes).Error is { } error) return error;
            if (reason.Length > Web.TextLimits.LongText) return $"The reason is at most {Web.TextLimits.LongText:N0} characters.";
            var result = new ScenarioPlugin(context).RunScenario(changes);
            if (context.Log.Records[^1] is not { Failed: false, Scenario: { } card }) return result;
            var now = clock.GetUtcNow().UtcDateTime;
            var proposal = new ChatEntry(ChatEntry.Assistant, $"Proposed by an assistant connected through MCP: {reason.Trim()}", now,
                [new ToolRecord("propose_change", System.Text.Json.JsonSerializer.Serialize(new { changes, reason }), result, false, card)]);
            await chats.AppendAsync(context.Workspace.Name, [proposal], ct);
            return $"Proposed to the founder (on the Chat page of '{context.Workspace.Name}', waiting for their click on Apply; nothing is changed until then). {card.Summary}";
        });

    /// <summary>Runs a tool; the database going away under it (PostgreSQL stopped, its connections ended) becomes an error
    /// the caller can read — nothing was saved, try again later — instead of the SDK's bare "an error occurred". A tool
    /// writes at most one row (the proposal), so a failed call left nothing of itself behind.</summary>
    private static async Task<string> OrOutage(Func<Task<string>> tool)
    {
        try
        {
            return await tool();
        }
        catch (Exception e) when (DatabaseOutage.IsOutage(e))
        {
            throw new McpException(DatabaseOutage.Message, e);
        }
    }

    /// <summary>A chat-tool context on a copy of the workspace the caller may use, or null when there is none.</summary>
    private async Task<ToolContext?> ContextAsync(string workspace, CancellationToken ct)
    {
        var user = http.HttpContext?.User ?? throw new InvalidOperationException("MCP tools run inside an HTTP request.");
        var name = workspace.Length > 0 ? workspace : ApiTokenAuthentication.OnlyWorkspace(user);
        if (name is not null && !ApiTokenAuthentication.MayUse(user, name)) return null;
        if (await store.LoadAsync(name, ct) is not { } ws) return null;
        return new ToolContext(ws, documents.Search, SchedulerOptions.Default, new ToolLog(), scenarios);
    }

    private static string NoWorkspace(string workspace) =>
        workspace.Length == 0 ? "There is no workspace yet." : $"There is no workspace named '{workspace}' that this token may use.";
}
