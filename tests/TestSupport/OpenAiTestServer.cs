using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Planner.TestSupport;

/// <summary>
/// A small OpenAI-compatible chat server on 127.0.0.1 (Kestrel, a free port) for tests: it serves
/// <c>POST /v1/chat/completions</c>, non-streaming and streaming (SSE <c>data:</c> chunks ending in <c>data: [DONE]</c>),
/// answers with the replies it was scripted with, in order, and records every request.
/// <code>
/// await using var server = await OpenAiTestServer.StartAsync();
/// server.EnqueueToolCall("Roadmap-FindInitiative", """{"name":"billing"}"""); // 1st request: the model calls a tool
/// server.EnqueueText("Billing ends in week 12.");                             // 2nd request: the final answer
/// var service = ChatBackendProvider.Create(new OpenAiEndpointSettings { BaseUrl = server.BaseUrl.ToString(), Model = "m", ApiKey = "secret" },
///     OpenAiCompatibilityHandler.CreateClient());
/// // … run the chat; then inspect server.Requests[i].Body (the JSON sent) and .Authorization.
/// </code>
/// Tool names are Semantic Kernel's <c>Plugin-Function</c>. When the script runs out, the server answers
/// <see cref="FallbackText"/>. Streamed text is sent word by word, one chunk each.
/// </summary>
public sealed class OpenAiTestServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ScriptedReply> script = new();
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private int counter;

    private OpenAiTestServer(WebApplication app) => this.app = app;

    /// <summary>The base URL to configure in a client, ending in <c>/v1</c>.</summary>
    public Uri BaseUrl { get; private set; } = default!;

    /// <summary>The answer when no scripted reply is left.</summary>
    public string FallbackText { get; set; } = "(no scripted reply)";

    /// <summary>Every request received so far, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    public static async Task<OpenAiTestServer> StartAsync()
    {
        OpenAiTestServer? server = null;
        var (app, address) = await LoopbackApp.StartAsync(app => app.MapPost("/v1/chat/completions", context => server!.HandleAsync(context)));
        server = new OpenAiTestServer(app) { BaseUrl = new Uri(address, "v1") };
        return server;
    }

    /// <summary>Scripts the next reply as plain text. A streamed reply ends with <paramref name="finishReason"/> and, when
    /// the client asked for it (<c>stream_options.include_usage</c>), a usage chunk counting one token per word (or
    /// <paramref name="completionTokens"/>) and <paramref name="promptTokens"/>.</summary>
    public void EnqueueText(string text, string finishReason = "stop", int promptTokens = 10, int? completionTokens = null) =>
        script.Enqueue(new ScriptedReply(text, null, null, null, FinishReason: finishReason, PromptTokens: promptTokens, CompletionTokens: completionTokens));

    /// <summary>Scripts the next reply as a call of tool <paramref name="function"/> (e.g. <c>Plugin-Function</c>)
    /// with <paramref name="argumentsJson"/>; the client is expected to run it and send the result back.</summary>
    public void EnqueueToolCall(string function, string argumentsJson, string callId = "call_1") =>
        script.Enqueue(new ScriptedReply(null, function, argumentsJson, callId));

    /// <summary>Scripts the next reply as one that never comes: the server holds the request until the client gives up
    /// (a model busy for longer than the founder will wait). The task completes when that request has arrived.</summary>
    public Task EnqueueHold()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        script.Enqueue(new ScriptedReply(null, null, null, null, Held: arrived));
        return arrived.Task;
    }

    /// <summary>Scripts the next reply as an HTTP error with an OpenAI-style error body.</summary>
    public void EnqueueError(int status, string message) => script.Enqueue(new ScriptedReply(message, null, null, null, status));

    private async Task HandleAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        requests.Enqueue(new RecordedRequest(body, context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null));
        var reply = script.TryDequeue(out var next) ? next : new ScriptedReply(FallbackText, null, null, null);
        var model = body["model"]?.GetValue<string>() ?? "unknown";
        var id = $"chatcmpl-{Interlocked.Increment(ref counter)}";
        if (reply.Held is { } held)
        {
            held.TrySetResult();
            try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
            catch (OperationCanceledException) { }
            return;
        }
        if (reply.Status is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["message"] = reply.Text, ["type"] = "test_error" } });
            return;
        }
        if (body["stream"]?.GetValue<bool>() == true)
            await StreamAsync(context.Response, reply, id, model, body["stream_options"]?["include_usage"]?.GetValue<bool>() == true);
        else await context.Response.WriteAsJsonAsync(Completion(reply, id, model));
    }

    private static JsonObject Completion(ScriptedReply reply, string id, string model) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = reply.Function is null
                ? new JsonObject { ["role"] = "assistant", ["content"] = reply.Text }
                : new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray(ToolCall(reply, withIndex: false)) },
            ["finish_reason"] = reply.Function is null ? "stop" : "tool_calls",
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 5, ["total_tokens"] = 15 },
    };

    private static JsonObject ToolCall(ScriptedReply reply, bool withIndex)
    {
        var call = new JsonObject
        {
            ["id"] = reply.CallId,
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = reply.Function, ["arguments"] = reply.Arguments },
        };
        if (withIndex) call["index"] = 0;
        return call;
    }

    private static async Task StreamAsync(HttpResponse response, ScriptedReply reply, string id, string model, bool usage)
    {
        response.ContentType = "text/event-stream";
        var deltas = new List<JsonObject> { new() { ["role"] = "assistant", ["content"] = "" } };
        if (reply.Function is not null) deltas.Add(new JsonObject { ["tool_calls"] = new JsonArray(ToolCall(reply, withIndex: true)) });
        else deltas.AddRange(Words(reply.Text!).Select(w => new JsonObject { ["content"] = w }));
        foreach (var delta in deltas) await SendAsync(response, Chunk(id, model, delta, null));
        await SendAsync(response, Chunk(id, model, new JsonObject(), reply.Function is null ? reply.FinishReason : "tool_calls"));
        if (usage)
        {
            // As OpenAI sends it: a last chunk with no choices and the request's token counts.
            var completion = reply.CompletionTokens ?? (reply.Text is null ? 1 : Words(reply.Text).Count());
            await SendAsync(response, new JsonObject
            {
                ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["model"] = model,
                ["choices"] = new JsonArray(),
                ["usage"] = new JsonObject { ["prompt_tokens"] = reply.PromptTokens, ["completion_tokens"] = completion, ["total_tokens"] = reply.PromptTokens + completion },
            });
        }
        await response.WriteAsync("data: [DONE]\n\n");
        await response.Body.FlushAsync();
    }

    private static JsonObject Chunk(string id, string model, JsonObject delta, string? finish) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
    };

    private static async Task SendAsync(HttpResponse response, JsonObject chunk)
    {
        await response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n");
        await response.Body.FlushAsync();
    }

    /// <summary>The text in pieces that join back to it exactly: each word with the space before it.</summary>
    private static IEnumerable<string> Words(string text)
    {
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                yield return text[start..i];
                start = i;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private sealed record ScriptedReply(string? Text, string? Function, string? Arguments, string? CallId, int? Status = null,
        string FinishReason = "stop", int PromptTokens = 10, int? CompletionTokens = null, TaskCompletionSource? Held = null);
}

/// <summary>A request the test server received: its JSON body and its Authorization header (null when absent).</summary>
public sealed record RecordedRequest(JsonObject Body, string? Authorization)
{
    public JsonArray Messages => Body["messages"]!.AsArray();

    public bool Streamed => Body["stream"]?.GetValue<bool>() == true;

    public override string ToString() => Body.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
