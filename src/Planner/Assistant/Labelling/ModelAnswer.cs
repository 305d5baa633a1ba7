using System.Text;
using System.Text.Json;
using Microsoft.SemanticKernel.ChatCompletion;
using Planner.Llm;

namespace Planner.Assistant.Labelling;

/// <summary>What the labeller and the theme namer share when they ask the chat model for one short answer: the
/// longest prompt that fits (rendered one variant at a time), a local model's greedy decoding under a grammar, and an
/// OpenAI-compatible server's structured output, read back.</summary>
internal static class ModelAnswer
{
    /// <summary>A server's context in characters, with room for the answer (about three characters a token).</summary>
    public static int ServerBudget(ChatBackend backend) => (int)((backend.ContextTokens - 64) * 3.0);

    /// <summary>The first of the prompts with <paramref name="most"/>, <paramref name="most"/> − 1, … 0 extra parts that
    /// <paramref name="fits"/>; the one with none when none does. Each is rendered only when the one before did not fit.</summary>
    public static async Task<string> LongestThatFitsAsync(int most, Func<int, Task<string>> render, Func<string, bool> fits)
    {
        for (var n = most; n > 0; n--)
        {
            var prompt = await render(n);
            if (fits(prompt)) return prompt;
        }
        return await render(0);
    }

    /// <summary>The space a model without a chat template writes after "Label:" or "Name:" when it continues plain text
    /// (" positive" is one token where "positive" after a colon is not); nothing with a template.</summary>
    public static string PlainTextPrefix(LocalLanguageModel model) => model.Info.HasChatTemplate ? "" : " ";

    /// <summary>The text the local model continues: the prompt in its chat template, or the plain prompt without one.</summary>
    public static string LocalText(LocalLanguageModel model, string prompt, GenerationOptions options)
    {
        if (!model.Info.HasChatTemplate) return prompt.TrimEnd();
        var history = new ChatHistory();
        history.AddUserMessage(prompt);
        return LocalChatCompletionService.Transcript(history, model, options);
    }

    /// <summary>The local model's whole reply to <paramref name="text"/> under <paramref name="options"/>.</summary>
    public static async Task<string> GenerateAsync(LocalLanguageModel model, string text, GenerationOptions options, CancellationToken ct)
    {
        var reply = new StringBuilder();
        await foreach (var piece in model.GenerateAsync(text, options, ct)) reply.Append(piece);
        return reply.ToString();
    }

    public const string ResponseFormatKey = "response_format";

    /// <summary>Asks a server for JSON of <paramref name="format"/> (greedy, at most <paramref name="maxTokens"/>) and
    /// returns its reply and the string in <paramref name="property"/>, or the whole reply trimmed when it is not such
    /// JSON (a server without structured output may answer the bare value).</summary>
    public static async Task<(string Reply, string Value)> AskServerAsync(ChatBackend backend, string prompt, int maxTokens, JsonElement format,
        string property, CancellationToken ct)
    {
        var history = new ChatHistory();
        history.AddUserMessage(prompt);
        var settings = ChatSettings.Create(maxTokens, 0);
        settings.ExtensionData![ResponseFormatKey] = format;
        var reply = (await backend.Service.GetChatMessageContentAsync(history, settings, cancellationToken: ct)).Content?.Trim() ?? "";
        try
        {
            using var json = JsonDocument.Parse(reply);
            if (json.RootElement is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String)
                return (reply, value.GetString()!.Trim());
        }
        catch (JsonException)
        {
            // not JSON: the bare value
        }
        return (reply, reply);
    }

    /// <summary>OpenAI's structured output: a strict JSON object whose one property, <paramref name="property"/>, has
    /// <paramref name="schema"/>.</summary>
    public static JsonElement ResponseFormat(string name, string property, Dictionary<string, object> schema) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["type"] = "json_schema",
            ["json_schema"] = new Dictionary<string, object>
            {
                ["name"] = name,
                ["strict"] = true,
                ["schema"] = new Dictionary<string, object>
                {
                    ["type"] = "object",
                    ["properties"] = new Dictionary<string, object> { [property] = schema },
                    ["required"] = new[] { property },
                    ["additionalProperties"] = false,
                },
            },
        });

    public static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
