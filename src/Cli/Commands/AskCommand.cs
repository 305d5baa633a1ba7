using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Planner.Assistant;
using Planner.Assistant.Chat;
using Planner.Llm;
using Planner.Persistence;
using Planner.Scenarios;
using Planner.Scheduling;

namespace Planner.Cli.Commands;

/// <summary><c>planner ask "&lt;question&gt;"</c>: the Chat page's assistant on the command line. The common what-ifs are
/// read by the planner itself and run as scenarios; a model (<c>--model</c>, else the active one) phrases the answer
/// and handles other questions. The question and answer are kept in the workspace's chat, as on the page.</summary>
public static class AskCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var question = new Argument<string>("question") { Description = "The question, e.g. \"What if the backend team loses two people from week 12?\"" };
        var model = new Option<string?>("--model") { Description = "A GGUF model file to phrase the answer (default: the active model, if any)." };
        var json = new Option<bool>("--json") { Description = "Print the answer, the tool calls and the scenario as JSON." };
        var command = new Command("ask", "Ask the scenario assistant; common what-ifs are computed by the planner even without a model.")
        {
            question, model, json, CliOptions.Workspace,
        };
        command.SetAction((parsed, ct) => ModelCommandOptions.Run(stderr, async () =>
        {
            var text = parsed.GetValue(question)!;
            if (ChatAssistant.CheckQuestion(text) is { } bad) throw new ArgumentException(bad);
            await using var services = await CliServices.StartAsync(parsed, ct);
            var name = parsed.GetValue(CliOptions.Workspace);
            var workspace = await services.GetRequiredService<RoadmapStore>().LoadAsync(name, ct)
                            ?? throw new ArgumentException(name is null ? "there is no workspace yet: import a roadmap first." : $"there is no workspace '{name}'.");

            using var runtime = parsed.GetValue(model) is { } file ? DraftCommand.Runtime(file, null) : null;
            var backend = runtime is not null
                ? new LocalChatBackendProvider(runtime).Current(out var problem) ?? throw new ArgumentException(problem)
                : services.GetRequiredService<IChatBackendProvider>().Current(out _);

            var history = services.GetRequiredService<ChatHistoryStore>();
            var prompts = PromptLibrary.Load(PromptLibrary.DefaultFolder);
            var check = new ToolCallCheck(prompts, services.GetRequiredService<ModelRecords>());
            var assistant = new ChatAssistant(prompts, history, new ScenarioRunner(new CpSatScheduler()), check);
            var reply = await assistant.AskAsync(backend, workspace, text, null,
                update => { if (update is ChatUpdate.Checking) stderr.WriteLine($"Checking once whether {backend!.ModelName} can call the planner's tools…"); },
                SchedulerOptions.Default, ct);
            var record = backend?.ModelFile is { } modelFile ? check.Records.For(modelFile) : null;
            var card = reply.Scenarios.LastOrDefault();
            if (parsed.GetValue(json))
            {
                var output = new JsonObject
                {
                    ["answer"] = reply.Text,
                    ["model"] = backend?.ModelName,
                    ["modelCallsTools"] = record?.CallsTools,
                    ["toolCalls"] = new JsonArray([.. reply.Tools.Select(t => (JsonNode)new JsonObject
                    {
                        ["tool"] = t.Tool,
                        ["arguments"] = Arguments(t.Arguments),
                        ["failed"] = t.Failed,
                        ["result"] = t.Result,
                    })]),
                    ["scenario"] = card is null ? null : new JsonObject
                    {
                        ["changes"] = new JsonArray([.. card.Changes.Select(c => (JsonNode)JsonValue.Create(c))]),
                        ["endWeekBefore"] = card.BaselineWeeks,
                        ["endWeekAfter"] = card.ScenarioWeeks,
                        ["summary"] = card.Summary,
                    },
                };
                await stdout.WriteLineAsync(output.ToJsonString(Indented));
                return ExitCodes.Ok;
            }
            if (record?.CallsTools == false) await stderr.WriteLineAsync(ToolCallCheck.Verdict(record));
            await stdout.WriteLineAsync(reply.Text);
            if (card is not null)
            {
                await stdout.WriteLineAsync();
                await stdout.WriteLineAsync($"Scenario: {string.Join(" · ", card.Changes)}");
                await stdout.WriteLineAsync($"End week: {card.BaselineWeeks} → {card.ScenarioWeeks}");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The arguments as JSON when they are JSON (a refused call may hold anything), else as text.</summary>
    private static JsonNode? Arguments(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return JsonValue.Create(text); }
    }
}
