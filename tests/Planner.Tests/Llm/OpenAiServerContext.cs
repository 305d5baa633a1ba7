using Planner.Llm;

namespace Planner.Tests.Llm;

/// <summary>For tests against a real OpenAI-compatible server on 127.0.0.1 answering from a script
/// (<see cref="OpenAiTestServer"/>): one server and one HTTP client per test, and a chat backend on them.</summary>
public abstract class OpenAiServerContext : IAsyncLifetime
{
    protected OpenAiTestServer Server { get; private set; } = default!;

    protected HttpClient Http { get; } = OpenAiCompatibilityHandler.CreateClient();

    public async Task InitializeAsync() => Server = await OpenAiTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Http.Dispose();
    }

    /// <summary>The server as the active chat backend, serving <paramref name="model"/> with a 4,096-token context.</summary>
    protected ChatBackend ServerBackend(string model) =>
        new(ChatBackendProvider.Create(new OpenAiEndpointSettings { BaseUrl = Server.BaseUrl.ToString(), Model = model }, Http),
            ChatBackendKind.OpenAiCompatible, model, 4096);
}
