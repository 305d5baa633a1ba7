using Microsoft.SemanticKernel.ChatCompletion;
using Planner.Interchange;
using Planner.Llm;
using Planner.Persistence;
using Planner.Roadmaps;
using Planner.Scenarios;
using Planner.Scheduling;

namespace Planner.Assistant.Chat;

/// <summary>The quick capability check of a local model: a handful of questions about the sample workspace whose right
/// tool call is known, asked the way the chat asks (same instructions, same grammar). A model that gets fewer than
/// <see cref="PassMark"/> right is not asked to call tools; the result is kept in <see cref="ModelRecords"/> under the
/// file's identity, so it runs once per model file. Servers with native function calling are not checked.</summary>
public sealed class ToolCallCheck(PromptLibrary prompts, ModelRecords records)
{
    /// <summary>A question and its right call: the tool, and the scenario change it must make (in the scenario
    /// language) or a word the query or filter must contain.</summary>
    public sealed record Probe(string Question, string Tool, string? Expected);

    public static readonly IReadOnlyList<Probe> Probes =
    [
        new("What happens to the plan if the backend team loses two people from week 12?", "run_scenario", "capacity be -2 from week 12"),
        new("What if we delay i5 by 4 weeks?", "run_scenario", "delay i5 4"),
        new("When does everything finish, and what is on the critical chain?", "schedule_facts", null),
        new("What do our documents say about bank feeds?", "search_documents", "bank"),
        new("Which initiatives are about SSO?", "list_initiatives", "sso"),
    ];

    /// <summary>Right answers needed to be trusted with tool calls.</summary>
    public const int PassMark = 4;

    public ModelRecords Records => records;

    /// <summary>The model's record with the check's result: the kept one, or a new check's (run now, announced through
    /// <paramref name="checking"/>). Null for backends that are not checked (servers with native function calling).</summary>
    public async Task<ModelRecord?> EnsureAsync(ChatBackend backend, Action? checking = null, CancellationToken ct = default)
    {
        if (backend.NativeToolCalls || backend.ModelFile is not { } file || !File.Exists(file)) return null;
        if (records.For(file) is { CallsTools: not null } known) return known;
        checking?.Invoke();
        var (passed, asked, failures) = await RunAsync(backend, ct);
        return records.Update(file, r => r with
        {
            ToolCallsPassed = passed, ToolCallsTotal = asked, CallsTools = passed >= PassMark, ToolCallFailures = failures, CheckedAt = DateTimeOffset.UtcNow,
        });
    }

    /// <summary>What the check found, in a sentence for the page and the command line; null before it ran.</summary>
    public static string? Verdict(ModelRecord? record) => record switch
    {
        { CallsTools: false } r => $"This model can't call tools reliably (it made {r.ToolCallsPassed} of {r.ToolCallsTotal} test calls right): " +
                                   "scenario questions are answered by Planner's own parser, and the model only phrases answers in plain words.",
        { CallsTools: true } r => $"This model calls the planner's tools ({r.ToolCallsPassed} of {r.ToolCallsTotal} test calls right).",
        _ => null,
    };

    /// <summary>Asks the probes and counts the right calls, stopping once the model can no longer reach the pass mark;
    /// the failures say what the model answered instead.</summary>
    public async Task<(int Passed, int Asked, IReadOnlyList<string> Failures)> RunAsync(ChatBackend backend, CancellationToken ct = default)
    {
        var workspace = Sample();
        var context = new ToolContext(workspace, null, SchedulerOptions.Default, new ToolLog(), new ScenarioRunner(new CpSatScheduler()));
        var functions = ChatAssistant.Tools(context).Plugins.SelectMany(p => p).ToList();
        var system = await ChatAssistant.SystemMessage(prompts, workspace, functions, ct);
        var failures = new List<string>();
        var asked = 0;
        foreach (var probe in Probes)
        {
            if (failures.Count > Probes.Count - PassMark) break; // it can no longer pass: spare a weak model the rest
            asked++;
            var chat = new ChatHistory(system);
            chat.AddUserMessage(probe.Question);
            var decision = await ChatAssistant.DecideAsync(backend, chat, functions, null, ct);
            if (!Right(probe, ToolProtocol.Parse(decision, functions, out _), workspace))
                failures.Add($"\"{probe.Question}\" → {(decision.Length > 160 ? decision[..160] + "…" : decision)}");
        }
        return (asked - failures.Count, asked, failures);
    }

    private static bool Right(Probe probe, ToolProtocol.Call call, Workspace workspace)
    {
        if (call.Function?.Name != probe.Tool) return false;
        if (probe.Expected is not { } expected) return true;
        var argument = call.Arguments.Values.FirstOrDefault();
        if (probe.Tool != "run_scenario") return argument is string text && text.Contains(expected, StringComparison.OrdinalIgnoreCase);
        if (argument is not string[] { Length: 1 } changes) return false;
        return ScenarioSpec.TryParse(changes[0], workspace, out var made, out _) && ScenarioSpec.TryParse(expected, workspace, out var wanted, out _)
               && made!.Describe() == wanted!.Describe();
    }

    /// <summary>The sample workspace that ships with the app: the probes' answers are known for it.</summary>
    private static Workspace Sample() =>
        RoadmapJson.Read(File.ReadAllBytes(PlannerDatabase.SampleRoadmapPath)).Workspace
        ?? throw new InvalidOperationException("The bundled sample roadmap is invalid.");
}
