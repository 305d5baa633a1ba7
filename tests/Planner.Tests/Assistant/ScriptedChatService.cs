using System.Runtime.CompilerServices;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Planner.Llm;

namespace Planner.Tests.Assistant;

/// <summary>A chat model that answers from a script, for testing orchestration (parsing, dispatch, the confirmation
/// gate, citations) without a model's randomness. It records every history and settings it was given. The same
/// flows also run against a real GGUF through LLamaSharp in the *RealModel tests.</summary>
public sealed class ScriptedChatService(params string[] replies) : IChatCompletionService
{
    private readonly Queue<string> script = new(replies);

    public List<(ChatHistory History, PromptExecutionSettings? Settings)> Requests { get; } = [];
    public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?>();

    public ChatBackend Backend(int context = 2048) => new(this, ChatBackendKind.Local, "scripted", context);

    public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null,
        Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        Requests.Add((new ChatHistory(chatHistory), executionSettings));
        return Task.FromResult<IReadOnlyList<ChatMessageContent>>([new ChatMessageContent(AuthorRole.Assistant, script.Dequeue())]);
    }

    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Requests.Add((new ChatHistory(chatHistory), executionSettings));
        var reply = script.Dequeue();
        // Streamed in a few pieces, as a model would.
        for (var i = 0; i < reply.Length; i += 7)
        {
            await Task.Yield();
            yield return new StreamingChatMessageContent(AuthorRole.Assistant, reply.Substring(i, Math.Min(7, reply.Length - i)));
        }
    }
}
