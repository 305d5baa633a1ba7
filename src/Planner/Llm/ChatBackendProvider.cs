using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace Planner.Llm;

/// <summary>The backend the founder chose in <see cref="LlmSettingsStore"/>: the local model (through
/// <see cref="LocalChatBackendProvider"/>), or an OpenAI-compatible server through Semantic Kernel's OpenAI
/// connector with a custom endpoint. The connector is rebuilt only when the endpoint settings change. Give it an
/// <see cref="HttpClient"/> from <see cref="OpenAiCompatibilityHandler.CreateClient"/>.</summary>
public sealed class ChatBackendProvider(LanguageModelRuntime runtime, LlmSettingsStore store, HttpClient http) : IChatBackendProvider
{
    private readonly LocalChatBackendProvider local = new(runtime);
    private readonly Lock gate = new();
    private (OpenAiEndpointSettings Settings, IChatCompletionService Service)? remote;

    public ChatBackend? Current(out string? problem)
    {
        var settings = store.Current;
        if (settings.Backend == ChatBackendKind.Local) return local.Current(out problem);
        return Remote(settings.Endpoint, out problem);
    }

    /// <summary>A backend for <paramref name="endpoint"/>, or null with what to fix in its settings.</summary>
    public ChatBackend? Remote(OpenAiEndpointSettings endpoint, out string? problem)
    {
        if (endpoint.Problems() is { Count: > 0 } problems)
        {
            problem = "The OpenAI-compatible endpoint is not set up: " + string.Join(" ", problems.Values) + " (Models page).";
            return null;
        }
        problem = null;
        IChatCompletionService service;
        lock (gate)
        {
            if (remote is not { } cached || cached.Settings != endpoint)
            {
                cached = (endpoint, Create(endpoint, http));
                remote = cached;
            }
            service = cached.Service;
        }
        return new ChatBackend(service, ChatBackendKind.OpenAiCompatible, endpoint.Model, endpoint.ContextTokens);
    }

    /// <summary>Semantic Kernel's OpenAI chat service pointed at <paramref name="endpoint"/>, its streamed replies ending
    /// in a <see cref="GenerationReport"/> (<see cref="ServerChatCompletionService"/>).</summary>
    // The custom-endpoint constructor is marked experimental (SKEXP0010) but is the connector's documented way to reach
    // OpenAI-compatible servers, and it lets the key be omitted for servers that need none.
#pragma warning disable SKEXP0010
    public static IChatCompletionService Create(OpenAiEndpointSettings endpoint, HttpClient http) =>
        new ServerChatCompletionService(new OpenAIChatCompletionService(endpoint.Model.Trim(), new Uri(endpoint.BaseUrl.Trim()),
            string.IsNullOrWhiteSpace(endpoint.ApiKey) ? null : endpoint.ApiKey, httpClient: http), endpoint.ContextTokens);
#pragma warning restore SKEXP0010

    /// <summary>Sends a one-line chat to <paramref name="endpoint"/> and says whether and what it answered.</summary>
    public async Task<(bool Ok, string Message)> TestConnectionAsync(OpenAiEndpointSettings endpoint, CancellationToken ct = default)
    {
        if (Remote(endpoint, out var problem) is not { } backend) return (false, problem!);
        var history = new ChatHistory();
        history.AddUserMessage("Reply with the word OK.");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var reply = await backend.Service.GetChatMessageContentAsync(history, ChatSettings.Create(8), cancellationToken: timeout.Token);
            return (true, $"Connected: {endpoint.Model} answered \"{Shorten(reply.Content)}\".");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, $"No answer from {endpoint.BaseUrl} within 30 seconds.");
        }
        catch (Exception e) when (e is Microsoft.SemanticKernel.HttpOperationException or HttpRequestException or System.ClientModel.ClientResultException)
        {
            return (false, $"The server refused or could not be reached: {Shorten(e.Message)}");
        }
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 200 ? text.Trim() : text[..200].Trim() + "…";
}
