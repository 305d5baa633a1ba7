using System.Text.Json;
using Microsoft.SemanticKernel.ChatCompletion;
using Planner.Llm;

namespace Planner.Tests.Llm;

public class LocalChatCompletionServiceTests
{
    private static LanguageModelRuntime Runtime(int seed)
    {
        var runtime = new LanguageModelRuntime(new ModelRegistry([Path.GetDirectoryName(TinyModel.File)!]));
        runtime.Choose(TinyModel.File, new ModelSettings { Seed = seed, Temperature = 0.9 });
        return runtime;
    }

    [Fact]
    public async Task A_bounded_grammar_makes_even_a_random_model_answer_with_parseable_json()
    {
        using var runtime = Runtime(5);
        var service = new LocalChatCompletionService(runtime);
        const string grammar = """
            root ::= "{\"tool\": \"" name "\", \"count\": " digit digit? "}"
            name ::= "find" | "schedule"
            digit ::= [0-9]
            """;
        var history = new ChatHistory("Answer with a tool call.");
        history.AddUserMessage("Which initiatives are late?");
        for (var i = 0; i < 3; i++)
        {
            var reply = await service.GetChatMessageContentAsync(history, ChatSettings.Create(40, 1.0, grammar));
            using var json = JsonDocument.Parse(reply.Content!);
            Assert.Contains(json.RootElement.GetProperty("tool").GetString(), new[] { "find", "schedule" });
            Assert.InRange(json.RootElement.GetProperty("count").GetInt32(), 0, 99);
        }
    }

    [Fact]
    public async Task A_reply_asked_for_more_than_a_small_context_leaves_is_reported_with_the_limit_that_applied_and_what_arrived()
    {
        using var runtime = Runtime(7);
        var service = new LocalChatCompletionService(runtime);
        var history = new ChatHistory();
        history.AddUserMessage(string.Join(" ", Enumerable.Repeat("Plan the billing work for the backend team.", 40))); // far over 256 tokens
        var text = new System.Text.StringBuilder();
        GenerationReport? report = null;
        await foreach (var update in service.GetStreamingChatMessageContentsAsync(history, ChatSettings.Create(600, 1.0, "root ::= [a-z ]+")))
        {
            text.Append(update.Content);
            report = LocalChatCompletionService.ReportOf(update) ?? report;
        }

        Assert.NotNull(report);
        // The 256-token context: the prompt is cut to leave a quarter for the reply, and the reply gets that quarter, not 600.
        Assert.Equal((256, 600), (report.ContextSize, report.TokensRequested));
        Assert.True(report.PromptTokensCut > 0);
        Assert.Equal(256 - report.PromptTokens - 1, report.TokensAllowed);
        Assert.Equal((report.TokensAllowed, GenerationEnd.TokenLimit), (report.TokensGenerated, report.End));
        Assert.Equal(text.Length, report.Characters);
        Assert.True(report.LimitedByContext);
        Assert.StartsWith($"The model wrote {report.TokensAllowed} tokens (all the room its 256-token context left after the prompt; 600 were allowed) but only {text.Length} characters", report.CutOffSummary());
        Assert.NotNull(report.TokensPerSecond);
    }

    [Fact]
    public async Task A_history_longer_than_the_context_drops_its_oldest_turns_and_keeps_the_system_message_and_question()
    {
        using var runtime = Runtime(6);
        var history = new ChatHistory("SYSTEM_RULES keep this.");
        for (var i = 0; i < 40; i++)
        {
            history.AddUserMessage($"Turn {i}: what happens to the billing initiative if the backend team shrinks again?");
            history.AddAssistantMessage($"Answer {i}: it moves later by some weeks according to the schedule.");
        }
        history.AddUserMessage("LAST_QUESTION");
        var prompt = await runtime.UseAsync(model =>
        {
            Assert.True(model.CountTokens(LocalChatCompletionService.Format(["SYSTEM_RULES keep this."], history.Skip(1))) > model.ContextSize);
            return Task.FromResult(LocalChatCompletionService.Transcript(history, model, new GenerationOptions { MaxTokens = 40 }));
        });
        Assert.StartsWith("SYSTEM_RULES keep this.", prompt);
        Assert.EndsWith("User: LAST_QUESTION\nAssistant:", prompt);
        Assert.DoesNotContain("Turn 0:", prompt);
        // And generating from it does not overflow the context (llama.cpp would abort the process).
        var reply = await new LocalChatCompletionService(runtime).GetChatMessageContentAsync(history, ChatSettings.Create(40));
        Assert.NotNull(reply.Content);
    }

    [Fact]
    public async Task Stop_texts_end_the_reply_and_are_not_part_of_it()
    {
        using var runtime = Runtime(7);
        // The grammar forces the stop text to appear after a fixed prefix.
        const string grammar = "root ::= \"ready END more\"";
        var history = new ChatHistory();
        history.AddUserMessage("Go");
        var reply = await new LocalChatCompletionService(runtime).GetChatMessageContentAsync(history, ChatSettings.Create(20, grammar: grammar, stop: [" END"]));
        Assert.Equal("ready", reply.Content);
    }

    /// <summary>ChatML as instruct models publish it in <c>tokenizer.chat_template</c> (llama.cpp recognises it by its markers).</summary>
    private const string ChatMl = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    [Fact]
    public async Task A_model_with_a_chat_template_in_its_gguf_is_prompted_in_that_template_and_one_without_in_plain_turns()
    {
        using var folder = new TempFolder();
        var file = folder.File("templated.gguf");
        using (var model = new Engine.Model.Gpt(new Engine.Model.GptConfig(Engine.Model.GptConfig.Gpt2VocabSize, 256, Layers: 1, Heads: 2, Embedding: 32), seed: 9))
            Engine.Export.GgufExporter.Export(model, file, Engine.Export.GgufDataType.F32, "templated", chatTemplate: ChatMl);
        var history = new ChatHistory("Answer from the plan.");
        history.AddUserMessage("When does billing ship?");

        using var templated = new LanguageModelRuntime(new ModelRegistry([folder.Path]));
        templated.Choose(file, new ModelSettings { Seed = 1 });
        var prompt = await templated.UseAsync(model => Task.FromResult(LocalChatCompletionService.Transcript(history, model, new GenerationOptions { MaxTokens = 20 })));
        Assert.Equal("<|im_start|>system\nAnswer from the plan.<|im_end|>\n<|im_start|>user\nWhen does billing ship?<|im_end|>\n<|im_start|>assistant\n", prompt);

        using var plain = Runtime(2);
        var fallback = await plain.UseAsync(model => Task.FromResult(LocalChatCompletionService.Transcript(history, model, new GenerationOptions { MaxTokens = 20 })));
        Assert.Equal("Answer from the plan.\n\nUser: When does billing ship?\nAssistant:", fallback);
    }
}
