using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Planner.Llm;

/// <summary>Semantic Kernel's chat service over the local model. Written here rather than taken from LLamaSharp's
/// <c>AsChatClient()</c> because every request must go through <see cref="LanguageModelRuntime"/>'s queue, honour
/// a GBNF grammar, and be budgeted against the context (llama.cpp aborts the process past it): the oldest turns are
/// dropped first, the system message and the latest turn are kept.
/// GPT-2 models carry no chat template, so the history is written as a plain transcript ("User: …\nAssistant: …").</summary>
public sealed class LocalChatCompletionService(LanguageModelRuntime runtime) : IChatCompletionService
{
    /// <summary>Metadata key of an update that carries no text, only the request's position in the model's queue.</summary>
    public const string QueuePositionKey = "queue_position";

    /// <summary>Metadata key of the last update of a reply: a <see cref="GenerationReport"/> of what the generation did.</summary>
    public const string ReportKey = "planner_generation";

    public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?>();

    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        await foreach (var update in GetStreamingChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken))
            text.Append(update.Content);
        return [new ChatMessageContent(AuthorRole.Assistant, text.ToString())];
    }

    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var options = ChatSettings.ToGenerationOptions(executionSettings);
        GenerationReport? report = null;
        options = options with { Stop = [.. options.Stop, "\nUser:"], Finished = r => report = r };
        var position = 0;
        await foreach (var piece in runtime.StreamAsync(model => Transcript(chatHistory, model, options), options, p => position = p, cancellationToken))
        {
            if (position > 0)
            {
                yield return new StreamingChatMessageContent(AuthorRole.Assistant, null, metadata: new Dictionary<string, object?> { [QueuePositionKey] = position });
                position = 0;
            }
            yield return new StreamingChatMessageContent(AuthorRole.Assistant, piece);
        }
        if (report is not null)
            yield return new StreamingChatMessageContent(AuthorRole.Assistant, null, metadata: new Dictionary<string, object?> { [ReportKey] = report });
    }

    /// <summary>The report carried by a streamed update, if it is the last one of a local reply.</summary>
    public static GenerationReport? ReportOf(StreamingChatMessageContent update) =>
        update.Metadata is { } data && data.TryGetValue(ReportKey, out var value) ? value as GenerationReport : null;

    /// <summary>The history as a transcript ending in "Assistant:", with the oldest turns dropped until it leaves room
    /// for the reply within the model's context.</summary>
    internal static string Transcript(ChatHistory history, LocalLanguageModel model, GenerationOptions options)
    {
        var reply = Math.Min(options.MaxTokens ?? model.Settings.MaxOutputTokens, model.ContextSize / 4);
        var room = model.ContextSize - reply - 1;
        var system = history.Where(m => m.Role == AuthorRole.System).Select(m => m.Content).ToList();
        var turns = history.Where(m => m.Role != AuthorRole.System).ToList();
        for (var first = 0; ; first++)
        {
            var text = model.ApplyChatTemplate(Messages(system, turns.Skip(first))) ?? Format(system, turns.Skip(first));
            if (first >= turns.Count - 1 || model.CountTokens(text) <= room) return text;
        }
    }

    /// <summary>The conversation as role/content pairs for the model's chat template: the system texts as one system
    /// message, then the turns (a tool result is a "tool" message).</summary>
    internal static IEnumerable<(string Role, string Content)> Messages(IEnumerable<string?> system, IEnumerable<ChatMessageContent> turns)
    {
        var instructions = string.Join("\n\n", system.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()));
        if (instructions.Length > 0) yield return ("system", instructions);
        foreach (var turn in turns)
            yield return (turn.Role == AuthorRole.User ? "user" : turn.Role == AuthorRole.Tool ? "tool" : "assistant", turn.Content?.Trim() ?? "");
    }

    internal static string Format(IEnumerable<string?> system, IEnumerable<ChatMessageContent> turns)
    {
        var text = new StringBuilder();
        foreach (var s in system.Where(s => !string.IsNullOrWhiteSpace(s))) text.Append(s!.Trim()).Append("\n\n");
        foreach (var turn in turns)
        {
            var who = turn.Role == AuthorRole.User ? "User" : turn.Role == AuthorRole.Tool ? "Tool" : "Assistant";
            text.Append(who).Append(": ").Append(turn.Content?.Trim()).Append('\n');
        }
        return text.Append("Assistant:").ToString();
    }
}
