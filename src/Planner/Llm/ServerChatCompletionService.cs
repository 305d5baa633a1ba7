using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Planner.Llm;

/// <summary>An OpenAI-compatible server's chat service (Semantic Kernel's connector, <paramref name="inner"/>) that ends
/// each streamed reply with a <see cref="GenerationReport"/>, as the local service does, so that a reply cut off by a
/// server is explained in the same numbers: the server's own token counts (<c>usage</c>, which the connector asks for
/// with <c>stream_options.include_usage</c>) and why it stopped (<c>finish_reason</c>). A server tells neither how much
/// of the prompt it cut nor which tokens decoded to no text: those are reported as 0. No report is added when the server
/// sends no usage or no finish reason (older servers): a report is never guessed.</summary>
/// <param name="contextTokens">The context the endpoint settings say the server's model holds.</param>
public sealed class ServerChatCompletionService(IChatCompletionService inner, int contextTokens) : IChatCompletionService
{
    public IReadOnlyDictionary<string, object?> Attributes => inner.Attributes;

    public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default) =>
        inner.GetChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken);

    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var requested = ChatSettings.ToGenerationOptions(executionSettings).MaxTokens;
        var characters = 0;
        long? firstText = null, lastText = null;
        string? finish = null;
        (int Prompt, int Output)? usage = null;
        await foreach (var update in inner.GetStreamingChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken))
        {
            if (!string.IsNullOrEmpty(update.Content))
            {
                characters += update.Content.Length;
                lastText = Stopwatch.GetTimestamp();
                firstText ??= lastText;
            }
            // With tools, one reply may take several requests: the last request's figures describe the reply.
            if (update.Metadata is { } data)
            {
                if (data.TryGetValue("FinishReason", out var reason) && reason?.ToString() is { Length: > 0 } said) finish = said;
                if (data.TryGetValue("Usage", out var counted) && counted is OpenAI.Chat.ChatTokenUsage tokens)
                    usage = (tokens.InputTokenCount, tokens.OutputTokenCount);
            }
            yield return update;
        }
        if (Report(finish, usage, requested, characters, firstText, lastText) is { } report)
            yield return new StreamingChatMessageContent(AuthorRole.Assistant, null, metadata: new Dictionary<string, object?> { [LocalChatCompletionService.ReportKey] = report });
    }

    private GenerationReport? Report(string? finish, (int Prompt, int Output)? usage, int? requested, int characters, long? firstText, long? lastText)
    {
        if (finish is null || usage is not { } counted) return null;
        var asked = requested ?? counted.Output;
        return new GenerationReport
        {
            ContextSize = contextTokens,
            PromptTokens = counted.Prompt,
            PromptTokensCut = 0,
            TokensRequested = asked,
            TokensAllowed = Math.Max(0, Math.Min(asked, contextTokens - counted.Prompt)),
            TokensGenerated = counted.Output,
            TokensWithoutText = 0,
            Characters = characters,
            // OpenAI's "length" is the output limit (or the context); "stop" is the model's end or a stop text, which a
            // server does not tell apart; "tool_calls" ends a request that the connector answers with the tools' results.
            End = finish.Equals("length", StringComparison.OrdinalIgnoreCase) ? GenerationEnd.TokenLimit : GenerationEnd.Finished,
            Decoding = firstText is { } first && lastText is { } last ? Stopwatch.GetElapsedTime(first, last) : TimeSpan.Zero,
        };
    }
}
