using System.ComponentModel;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Planner.Llm;

namespace Planner.Tests.Llm;

public sealed class OpenAiCompatibleBackendTests : OpenAiServerContext
{
    private IChatCompletionService Service(string? key = "secret-key") =>
        ChatBackendProvider.Create(new OpenAiEndpointSettings { BaseUrl = Server.BaseUrl.ToString(), ApiKey = key, Model = "roadmap-7b" }, Http);

    private static ChatHistory Question(string text)
    {
        var history = new ChatHistory("You are a planning assistant.");
        history.AddUserMessage(text);
        return history;
    }

    [Fact]
    public async Task A_plain_answer_arrives_and_the_request_carries_the_model_key_and_limits()
    {
        Server.EnqueueText("Billing ships in week 12.");
        var reply = await Service().GetChatMessageContentAsync(Question("When does billing ship?"), ChatSettings.Create(48, 0.25, grammar: "root ::= \"x\""));

        Assert.Equal("Billing ships in week 12.", reply.Content);
        var request = Assert.Single(Server.Requests);
        Assert.Equal("Bearer secret-key", request.Authorization);
        Assert.Equal("roadmap-7b", request.Body["model"]!.GetValue<string>());
        Assert.Equal(48, request.Body["max_tokens"]!.GetValue<int>());
        Assert.Equal(48, request.Body["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal(0.25, request.Body["temperature"]!.GetValue<double>(), 3);
        Assert.False(request.Streamed);
        Assert.Equal(["system", "user"], request.Messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("When does billing ship?", request.Messages[1]!["content"]!.GetValue<string>());
        // The local-only grammar setting is not sent to a server that would not understand it.
        Assert.DoesNotContain(ChatSettings.GrammarKey, request.Body.ToJsonString());
    }

    [Fact]
    public async Task A_streamed_answer_arrives_in_pieces_that_join_to_the_whole()
    {
        Server.EnqueueText("Mobile slips two weeks when the backend team shrinks.");
        var pieces = new List<string>();
        await foreach (var update in Service().GetStreamingChatMessageContentsAsync(Question("What if backend shrinks?"), ChatSettings.Create(64)))
            if (!string.IsNullOrEmpty(update.Content)) pieces.Add(update.Content);

        Assert.True(pieces.Count >= 5, $"{pieces.Count} pieces");
        Assert.Equal("Mobile slips two weeks when the backend team shrinks.", string.Concat(pieces));
        Assert.True(Assert.Single(Server.Requests).Streamed);
    }

    [Fact]
    public async Task A_streamed_reply_ends_with_a_report_in_the_servers_own_token_counts()
    {
        Server.EnqueueText("Billing ships in week 12.", finishReason: "stop", promptTokens: 31, completionTokens: 7);
        var updates = new List<StreamingChatMessageContent>();
        await foreach (var update in Service().GetStreamingChatMessageContentsAsync(Question("When does billing ship?"), ChatSettings.Create(48)))
            updates.Add(update);

        // The connector asked the server to count (OpenAI's stream_options.include_usage), and the report comes last.
        Assert.True(Assert.Single(Server.Requests).Body["stream_options"]?["include_usage"]?.GetValue<bool>());
        var report = LocalChatCompletionService.ReportOf(updates[^1]);
        Assert.NotNull(report);
        Assert.Single(updates, u => LocalChatCompletionService.ReportOf(u) is not null);
        Assert.Equal((8192, 31, 48, 48, 7, "Billing ships in week 12.".Length, GenerationEnd.Finished),
            (report.ContextSize, report.PromptTokens, report.TokensRequested, report.TokensAllowed, report.TokensGenerated, report.Characters, report.End));
    }

    [Fact]
    public async Task A_draft_a_server_cut_off_at_its_output_limit_says_so_in_the_servers_numbers()
    {
        // A server that stops at the limit: finish_reason "length" after 64 tokens of JSON that never closes.
        const string cut = """{"initiatives": [{"title": "Usage billing", "description": "Bill by""";
        Server.EnqueueText(cut, finishReason: "length", promptTokens: 900, completionTokens: 64);
        var endpoint = new OpenAiEndpointSettings { BaseUrl = Server.BaseUrl.ToString(), Model = "roadmap-7b", ContextTokens = 4096 };
        var backend = new ChatBackend(ChatBackendProvider.Create(endpoint, Http), ChatBackendKind.OpenAiCompatible, endpoint.Model, endpoint.ContextTokens);
        var drafter = new Planner.Assistant.Drafting.RoadmapDrafter(Planner.Assistant.PromptLibrary.Load(Planner.Assistant.PromptLibrary.DefaultFolder),
            new Planner.Scenarios.ScenarioRunner(new Planner.Scheduling.CpSatScheduler()), null);

        var draft = await drafter.DraftAsync(backend, Samples.Sample(), "Win larger customers", new Planner.Assistant.Drafting.DraftOptions { MaxOutputTokens = 64 });

        Assert.Empty(draft.Items);
        Assert.Equal((64, GenerationEnd.TokenLimit, 900), (draft.Generation!.TokensGenerated, draft.Generation.End, draft.Generation.PromptTokens));
        var problem = Assert.Single(draft.Problems);
        Assert.StartsWith($"The model wrote 64 tokens (the output limit) but only {cut.Length} characters", problem);
        Assert.EndsWith("Raise the output limit or ask for fewer initiatives.", problem);
    }

    [Fact]
    public async Task A_server_that_sends_no_token_counts_gets_no_report_rather_than_a_guessed_one()
    {
        var endpoint = new OpenAiEndpointSettings { BaseUrl = Server.BaseUrl.ToString(), Model = "roadmap-7b" };
        var bare = new ServerChatCompletionService(new CountlessService(), endpoint.ContextTokens);
        var updates = new List<StreamingChatMessageContent>();
        await foreach (var update in bare.GetStreamingChatMessageContentsAsync(Question("ping"), ChatSettings.Create(8))) updates.Add(update);
        Assert.Equal(["pong"], updates.Select(u => u.Content));
        Assert.DoesNotContain(updates, u => LocalChatCompletionService.ReportOf(u) is not null);
    }

    [Fact]
    public async Task Without_a_key_no_authorization_header_is_sent()
    {
        Server.EnqueueText("ok");
        await Service(key: null).GetChatMessageContentAsync(Question("ping"), ChatSettings.Create(4));
        Assert.Null(Assert.Single(Server.Requests).Authorization);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Native_function_calling_runs_the_plugin_and_sends_its_result_back_for_the_final_answer(bool streaming)
    {
        var team = new TeamPlugin();
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(team, "Team");
        Server.EnqueueToolCall("Team-Capacity", """{"team":"backend"}""", "call_42");
        Server.EnqueueText("The backend team has 4 people.");
        var settings = ChatSettings.Create(64);
        settings.FunctionChoiceBehavior = FunctionChoiceBehavior.Auto();

        var history = Question("How many people are in backend?");
        string answer;
        if (streaming)
        {
            var text = new System.Text.StringBuilder();
            await foreach (var update in Service().GetStreamingChatMessageContentsAsync(history, settings, kernel)) text.Append(update.Content);
            answer = text.ToString();
        }
        else
        {
            answer = (await Service().GetChatMessageContentAsync(history, settings, kernel)).Content!;
        }

        Assert.Equal("The backend team has 4 people.", answer);
        Assert.Equal(["backend"], team.Calls);
        Assert.Equal(2, Server.Requests.Count);
        var offered = Server.Requests[0].Body["tools"]!.AsArray();
        Assert.Contains(offered, t => t!["function"]!["name"]!.GetValue<string>() == "Team-Capacity");
        var second = Server.Requests[1].Messages;
        var call = second.Single(m => m!["role"]!.GetValue<string>() == "assistant")!;
        Assert.Equal("call_42", call["tool_calls"]![0]!["id"]!.GetValue<string>());
        var result = second.Single(m => m!["role"]!.GetValue<string>() == "tool")!;
        Assert.Equal("call_42", result["tool_call_id"]!.GetValue<string>());
        Assert.Equal("backend has 4 people", result["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Test_connection_reports_the_answer_or_the_servers_refusal()
    {
        using var runtime = new LanguageModelRuntime(new ModelRegistry([]));
        using var folder = new TempFolder();
        var provider = new ChatBackendProvider(runtime, new LlmSettingsStore(Planner.Persistence.PlannerDbContextFactory.ForSqlite(new Planner.Files.PlannerPaths(folder.Path).DatabaseFile), new Planner.Files.PlannerPaths(folder.Path)), Http);
        var endpoint = new OpenAiEndpointSettings { BaseUrl = Server.BaseUrl.ToString(), Model = "roadmap-7b", ApiKey = "k" };

        Server.EnqueueText("OK");
        var ok = await provider.TestConnectionAsync(endpoint);
        Assert.True(ok.Ok, ok.Message);
        Assert.Contains("\"OK\"", ok.Message);

        Server.EnqueueError(401, "invalid api key");
        var refused = await provider.TestConnectionAsync(endpoint);
        Assert.False(refused.Ok);
        Assert.Contains("401", refused.Message);

        var incomplete = await provider.TestConnectionAsync(endpoint with { Model = " " });
        Assert.False(incomplete.Ok);
        Assert.Contains("model name", incomplete.Message);
    }

    /// <summary>A server's reply with a finish reason but no usage (servers older than include_usage).</summary>
    private sealed class CountlessService : IChatCompletionService
    {
        public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?>();

        public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null,
            Kernel? kernel = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory,
            PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new StreamingChatMessageContent(AuthorRole.Assistant, "pong", metadata: new Dictionary<string, object?> { ["FinishReason"] = "stop" });
        }
    }

    private sealed class TeamPlugin
    {
        public List<string> Calls { get; } = [];

        [KernelFunction, Description("How many people a team has.")]
        public string Capacity([Description("The team's name.")] string team)
        {
            Calls.Add(team);
            return $"{team} has 4 people";
        }
    }
}
