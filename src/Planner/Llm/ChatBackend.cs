using Microsoft.SemanticKernel.ChatCompletion;

namespace Planner.Llm;

/// <summary>Where chat requests go: the local GGUF model through LLamaSharp, or an OpenAI-compatible server
/// (vLLM, Ollama, llama.cpp's server) through Semantic Kernel's OpenAI connector.</summary>
public enum ChatBackendKind
{
    Local,
    OpenAiCompatible,
}

/// <summary>The chat model in use: a Semantic Kernel chat service and what the assistant must know to drive it.
/// Local models call tools through grammar-constrained JSON; OpenAI-compatible servers through native function calling.</summary>
public sealed record ChatBackend(IChatCompletionService Service, ChatBackendKind Kind, string ModelName, int ContextTokens)
{
    public bool NativeToolCalls => Kind == ChatBackendKind.OpenAiCompatible;

    /// <summary>The GGUF file of a local model (what its measurements are kept under); null for a server.</summary>
    public string? ModelFile { get; init; }
}

/// <summary>Gives the assistant the chat backend the founder chose.</summary>
public interface IChatBackendProvider
{
    /// <summary>The backend, or null with the way forward (e.g. "drop a GGUF into …") in <paramref name="problem"/>.</summary>
    ChatBackend? Current(out string? problem);
}

/// <summary>The local model only: the active GGUF of the registry, served by <see cref="LanguageModelRuntime"/>.</summary>
public sealed class LocalChatBackendProvider(LanguageModelRuntime runtime) : IChatBackendProvider
{
    private readonly LocalChatCompletionService service = new(runtime);

    public ChatBackend? Current(out string? problem)
    {
        var entry = runtime.Active(out problem);
        if (entry?.Info is not { } info) return null;
        var context = Math.Min(runtime.Settings.ContextSize ?? info.ContextLength ?? 256, info.ContextLength ?? 256);
        return new ChatBackend(service, ChatBackendKind.Local, entry.FileName, context) { ModelFile = entry.Path };
    }
}
