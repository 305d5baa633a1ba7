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
}
