using System.Text;
using System.Text.Json;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Planner.Documents;
using Planner.Llm;
using Planner.Persistence;
using Planner.Roadmaps;
using Planner.Scenarios;
using Planner.Scheduling;

namespace Planner.Assistant.Chat;

/// <summary>Something that happened while an answer was produced: a place in the model's queue, a tool result, a piece
/// of text.</summary>
public abstract record ChatUpdate
{
    public sealed record Queued(int Position) : ChatUpdate;
    public sealed record Tool(ToolRecord Record) : ChatUpdate;
    public sealed record Text(string Piece) : ChatUpdate;

    /// <summary>The model is being checked, once per model file, for whether it can call the planner's tools.</summary>
    public sealed record Checking : ChatUpdate;
}

/// <summary>The scenario chat. The model calls the planner's tools (Semantic Kernel plugins over a snapshot of the
/// workspace); the planner computes; the answer is generated with the tool results in view, and the cards and
/// citations shown beside it come from those results, not from the model's text. No tool writes: applying a scenario
/// is <see cref="ApplyAsync"/>, called by the founder's click. Local models call tools through grammar-constrained
/// JSON (<see cref="ToolProtocol"/>); OpenAI-compatible servers through native function calling. A local model that
/// failed the <see cref="ToolCallCheck"/> is not asked for tool calls: the planner's own reading of what-ifs still runs
/// scenarios, and the model answers the rest in plain words.</summary>
public sealed class ChatAssistant(PromptLibrary prompts, ChatHistoryStore history, ScenarioRunner scenarios, ToolCallCheck? check = null)
{
    /// <summary>Earlier messages given to the model with a new question (the context of a small model is short).</summary>
    public const int EarlierMessages = 6;
    public const int MaxQuestionChars = 2000;

    public ChatHistoryStore History => history;

    public static string? CheckQuestion(string? question) =>
        string.IsNullOrWhiteSpace(question) ? "Type a question first." :
        question.Length > MaxQuestionChars ? $"The question is too long (over {MaxQuestionChars:N0} characters)." : null;

    public static Kernel Tools(ToolContext context)
    {
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(new RoadmapPlugin(context), "roadmap");
        kernel.Plugins.AddFromObject(new ScenarioPlugin(context), "scenario");
        kernel.Plugins.AddFromObject(new DocumentsPlugin(context), "documents");
        return kernel;
    }

    /// <summary>Said after the computed summary when no model phrased the answer.</summary>
    public const string NoModelNote = "(No model phrased this answer: these are the planner's computed numbers.)";

    /// <summary>Phrasings the planner reads without a model.</summary>
    public const string Examples = "\"What if the backend team loses two people from week 12?\", \"Delay i5 by 4 weeks\", " +
                                   "\"Cut dark mode\", \"Shrink the audit log by 30%\", \"What if SSO takes 6 weeks?\", \"Ship SSO first\", " +
                                   "\"What if our runway is 12 months?\"";

    /// <summary>Answers <paramref name="question"/> (with no <paramref name="backend"/>, only the what-ifs the planner
    /// reads by itself, see <see cref="ScenarioQuestion"/>), reporting progress through <paramref name="onUpdate"/>; the
    /// question and answer are appended to the workspace's chat history.</summary>
    public async Task<ChatEntry> AskAsync(ChatBackend? backend, Workspace workspace, string question, Func<string, int, IReadOnlyList<SearchHit>>? search,
        Action<ChatUpdate>? onUpdate = null, SchedulerOptions? scheduler = null, CancellationToken ct = default)
    {
        if (CheckQuestion(question) is { } bad) throw new ArgumentException(bad, nameof(question));
        var asked = new ChatEntry(ChatEntry.User, question.Trim(), DateTime.UtcNow, []);
        var log = new ToolLog();
        var context = new ToolContext(workspace, search, scheduler ?? SchedulerOptions.Default with { TimeLimit = TimeSpan.FromSeconds(1) }, log, scenarios);
        var kernel = Tools(context);
        var functions = kernel.Plugins.SelectMany(p => p).ToList();

        var chat = new ChatHistory(await SystemMessage(workspace, functions, ct));
        foreach (var earlier in (await history.LoadAsync(workspace.Name, ct)).TakeLast(EarlierMessages))
            chat.AddMessage(earlier.Role == ChatEntry.User ? AuthorRole.User : AuthorRole.Assistant, earlier.Text);
        chat.AddUserMessage(asked.Text);

        var answer = new StringBuilder();
        void Emit(string piece)
        {
            answer.Append(piece);
            onUpdate?.Invoke(new ChatUpdate.Text(piece));
        }

        // The common what-ifs are read by the planner itself, whatever the model: the scenario runs and its card shows
        // even when the model is too small to call a tool; the model, if any, only phrases the answer.
        if (ScenarioQuestion.Understand(asked.Text, context.Workspace) is { } understood)
        {
            var computed = new ScenarioPlugin(context).RunScenario([.. understood]);
            onUpdate?.Invoke(new ChatUpdate.Tool(log.Records[^1]));
            if (backend is null) Emit(computed + " " + NoModelNote);
            else
            {
                chat.AddAssistantMessage(JsonSerializer.Serialize(new { tool = "run_scenario", arguments = new { changes = understood } }));
                if (backend.NativeToolCalls) chat.AddUserMessage("The planner computed it: " + computed + "\nSay what this means for the plan, in two or three sentences.");
                else chat.AddMessage(AuthorRole.Tool, computed);
                await foreach (var update in backend.Service.GetStreamingChatMessageContentsAsync(chat, ChatSettings.Create(200, 0.3), cancellationToken: ct))
                {
                    if (update.Metadata?.TryGetValue(LocalChatCompletionService.QueuePositionKey, out var p) == true && p is int position)
                        onUpdate?.Invoke(new ChatUpdate.Queued(position));
                    if (!string.IsNullOrEmpty(update.Content)) Emit(update.Content);
                }
            }
        }
        else if (backend is null)
        {
            Emit("No model is active, and this is not a what-if the planner reads by itself. Ask like: " + Examples + ".");
        }
        else if (backend.NativeToolCalls)
        {
            var settings = ChatSettings.Create(400, 0.3);
            settings.FunctionChoiceBehavior = FunctionChoiceBehavior.Auto();
            var reported = 0;
            await foreach (var update in backend.Service.GetStreamingChatMessageContentsAsync(chat, settings, kernel, ct))
            {
                foreach (var record in log.Records.Skip(reported)) onUpdate?.Invoke(new ChatUpdate.Tool(record));
                reported = log.Records.Count;
                if (!string.IsNullOrEmpty(update.Content)) Emit(update.Content);
            }
            foreach (var record in log.Records.Skip(reported)) onUpdate?.Invoke(new ChatUpdate.Tool(record));
        }
        else
        {
            // Step 1: the tool call, under the grammar — unless the capability check found this model cannot make one.
            var record = check is null ? null : await check.EnsureAsync(backend, () => onUpdate?.Invoke(new ChatUpdate.Checking()), ct);
            if (record?.CallsTools != false)
            {
                var decision = await DecideAsync(backend, chat, functions, position => onUpdate?.Invoke(new ChatUpdate.Queued(position)), ct);
                var call = ToolProtocol.Parse(decision, functions, out var error);
                if (error is not null)
                {
                    var refused = log.Add(new ToolRecord("(invalid call)", decision, error, true));
                    onUpdate?.Invoke(new ChatUpdate.Tool(log.Records[^1]));
                    chat.AddAssistantMessage(decision);
                    chat.AddMessage(AuthorRole.Tool, refused);
                }
                else if (call.Function is { } function)
                {
                    var result = await function.InvokeAsync(kernel, call.Arguments, ct);
                    onUpdate?.Invoke(new ChatUpdate.Tool(log.Records[^1]));
                    chat.AddAssistantMessage(call.Json);
                    chat.AddMessage(AuthorRole.Tool, result.GetValue<string>() ?? "");
                }
            }
            // Step 2: the answer, in words, with the tool's result (if any) in view.
            await foreach (var update in backend.Service.GetStreamingChatMessageContentsAsync(chat, ChatSettings.Create(200, 0.3), cancellationToken: ct))
            {
                if (!string.IsNullOrEmpty(update.Content)) Emit(update.Content);
            }
        }

        var reply = new ChatEntry(ChatEntry.Assistant, answer.ToString().Trim(), DateTime.UtcNow, log.Records);
        await history.AppendAsync(workspace.Name, [asked, reply], ct);
        return reply;
    }

    /// <summary>A local model's tool call: its reply under the grammar generated from <paramref name="functions"/>,
    /// not yet parsed. <paramref name="queued"/> is told the request's place in the model's queue.</summary>
    internal static async Task<string> DecideAsync(ChatBackend backend, ChatHistory chat, IReadOnlyList<KernelFunction> functions, Action<int>? queued, CancellationToken ct)
    {
        var decision = new StringBuilder();
        await foreach (var update in backend.Service.GetStreamingChatMessageContentsAsync(chat, ChatSettings.Create(160, 0.2, ToolProtocol.Grammar(functions)), cancellationToken: ct))
        {
            if (update.Metadata?.TryGetValue(LocalChatCompletionService.QueuePositionKey, out var p) == true && p is int position)
                queued?.Invoke(position);
            decision.Append(update.Content);
        }
        return decision.ToString();
    }

    private Task<string> SystemMessage(Workspace workspace, IReadOnlyList<KernelFunction> functions, CancellationToken ct) => SystemMessage(prompts, workspace, functions, ct);

    /// <summary>The ScenarioAssistant instructions for <paramref name="workspace"/> and its tools.</summary>
    internal static Task<string> SystemMessage(PromptLibrary prompts, Workspace workspace, IReadOnlyList<KernelFunction> functions, CancellationToken ct) =>
        prompts.RenderAsync("ScenarioAssistant", new Dictionary<string, object?>
        {
            ["company"] = $"{workspace.CompanyName} ({workspace.Stage}{(workspace.RunwayMonths is { } r ? $", {r} months of runway" : "")}, plan starts {workspace.PlanningStart:yyyy-MM-dd})",
            ["teams"] = string.Join("; ", workspace.Teams.Select(t => $"{t.Key} = {t.Name} ({t.Capacity} people)")),
            ["tools"] = string.Join("\n", functions.Select(f => $"- {f.Name}({string.Join(", ", f.Metadata.Parameters.Select(p => p.Name))}): {f.Description}")),
            ["changes"] = ScenarioSpec.Help,
        }, ct);

    /// <summary>The founder's click on a scenario card: the changes are recomputed on the roadmap as it is now (it may
    /// have changed since the answer) and saved, keeping the previous roadmap as a version. Returns the problem instead
    /// when a change no longer applies.</summary>
    public async Task<string?> ApplyAsync(RoadmapStore store, string workspaceName, ScenarioCard card, CancellationToken ct = default)
    {
        var workspace = await store.LoadAsync(workspaceName, ct) ?? throw new ArgumentException($"No workspace '{workspaceName}'.", nameof(workspaceName));
        var changes = new List<ScenarioChange>();
        foreach (var spec in card.Changes)
        {
            if (!ScenarioSpec.TryParse(spec, workspace, out var change, out var error)) return error;
            changes.Add(change!);
        }
        var result = scenarios.Run(workspace, changes, SchedulerOptions.Default, ct);
        if (result.Problems.Count > 0) return result.Summary;
        var outcome = await store.ReplaceRoadmapAsync(result.Scenario, "scenario from chat: " + string.Join(", ", changes.Select(c => c.Describe())),
            RoadmapStore.Fingerprint(workspace), ct);
        return outcome.Conflict;
    }
}
