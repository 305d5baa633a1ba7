using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.ChatCompletion;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Planner.Llm;
using Planner.Web.Telemetry;

namespace Planner.Web.Tests.Telemetry;

/// <summary>The app's telemetry (<see cref="TelemetryServices"/>) traces the calls it makes to other servers: a chat
/// sent to an OpenAI-compatible server on 127.0.0.1, through the client the app builds for it, is an HttpClient span
/// with the standard attributes, a child of the incoming request that made it.</summary>
public sealed class OutgoingCallSpanTests
{
    /// <summary>Keeps every span the app's tracer provider ends (the test's own exporter beside the app's).</summary>
    private sealed class Capture(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => spans.Enqueue(data);
    }

    private sealed record IncomingSpan(string TraceId, string SpanId, string Source, string Kind, bool Recorded, string? Reply);

    private static async Task<string?> AskAsync(OpenAiTestServer server)
    {
        var endpoint = new OpenAiEndpointSettings { BaseUrl = server.BaseUrl.ToString(), Model = "roadmap-7b", ApiKey = "k" };
        using var http = OpenAiCompatibilityHandler.CreateClient();
        var history = new ChatHistory();
        history.AddUserMessage("Reply with the word OK.");
        return (await ChatBackendProvider.Create(endpoint, http).GetChatMessageContentAsync(history, ChatSettings.Create(8))).Content;
    }

    private static bool ToModelServer(Activity span, OpenAiTestServer server) => span.GetTagItem("server.port") is int port && port == server.BaseUrl.Port;

    [Fact]
    public async Task A_chat_sent_to_an_OpenAI_compatible_server_is_an_HttpClient_span_under_the_request_that_sent_it()
    {
        await using var server = await OpenAiTestServer.StartAsync();
        var spans = new ConcurrentQueue<Activity>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        // Telemetry on as an operator turns it on (an OTLP endpoint: nothing listens there, and nothing is exported
        // during the test's seconds); the test reads the spans through its own processor.
        builder.Configuration.AddInMemoryCollection([new("Planner:Telemetry:Otlp:Endpoint", "http://127.0.0.1:9")]);
        builder.AddPlannerTelemetry();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new Capture(spans)));
        await using var app = builder.Build();
        // The request an instance serves while it talks to the model server (the Models page's connection test, a chat).
        app.MapGet("/ask", async () =>
        {
            var incoming = Activity.Current!;
            var reply = await AskAsync(server);
            return new IncomingSpan(incoming.TraceId.ToString(), incoming.SpanId.ToString(), incoming.Source.Name, incoming.Kind.ToString(), incoming.Recorded, reply);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        server.EnqueueText("OK");
        using var client = new HttpClient();
        var request = (await client.GetFromJsonAsync<IncomingSpan>(address + "/ask"))!;

        Assert.Equal(("Microsoft.AspNetCore", "Server", true, "OK"), (request.Source, request.Kind, request.Recorded, request.Reply));
        // The test's own GET /ask is a client span of this trace too; the app's call is the one to the model server.
        var outgoing = Assert.Single(spans, s => s.TraceId.ToString() == request.TraceId && s.Kind == ActivityKind.Client && ToModelServer(s, server));
        Assert.Equal("System.Net.Http", outgoing.Source.Name);
        Assert.Equal(request.SpanId, outgoing.ParentSpanId.ToString());
        Assert.Equal("POST", outgoing.GetTagItem("http.request.method"));
        Assert.Equal(server.BaseUrl.ToString().TrimEnd('/') + "/chat/completions", outgoing.GetTagItem("url.full"));
        Assert.Equal("127.0.0.1", outgoing.GetTagItem("server.address"));
        Assert.Equal(server.BaseUrl.Port, outgoing.GetTagItem("server.port"));
        Assert.Equal(200, outgoing.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, outgoing.Status);

        // Without a request around it (a background job), the call is a trace of its own.
        server.EnqueueText("OK");
        Assert.Null(Activity.Current);
        await AskAsync(server);
        var alone = Assert.Single(spans, s => s.Kind == ActivityKind.Client && s.TraceId.ToString() != request.TraceId && ToModelServer(s, server));
        Assert.Equal(default, alone.ParentSpanId);
        await app.StopAsync();
    }
}
