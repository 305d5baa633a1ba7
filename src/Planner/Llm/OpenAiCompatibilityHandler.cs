using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Planner.Llm;

/// <summary>Makes the OpenAI connector's requests acceptable to the servers teams self-host. The OpenAI SDK sends the
/// output limit only as <c>max_completion_tokens</c>, which llama.cpp's server and older vLLM/Ollama ignore (they
/// would generate until their own limit): the same value is added as <c>max_tokens</c>. Without an API key the SDK
/// still sends an empty <c>Bearer</c> header; it is dropped.</summary>
public sealed class OpenAiCompatibilityHandler : DelegatingHandler
{
    public OpenAiCompatibilityHandler(HttpMessageHandler inner) : base(inner) { }

    /// <summary>An HTTP client for OpenAI-compatible servers; long generations are bounded by the callers' tokens.</summary>
    public static HttpClient CreateClient() =>
        new(new OpenAiCompatibilityHandler(new SocketsHttpHandler())) { Timeout = TimeSpan.FromMinutes(10) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is { Scheme: "Bearer", Parameter: var key } && string.IsNullOrWhiteSpace(key))
            request.Headers.Authorization = null;
        if (request.Method == HttpMethod.Post && request.Content is { } content
            && request.RequestUri?.AbsolutePath.EndsWith("/chat/completions", StringComparison.Ordinal) == true)
        {
            var body = JsonNode.Parse(await content.ReadAsStringAsync(cancellationToken));
            if (body is JsonObject json && json["max_completion_tokens"] is { } limit && !json.ContainsKey("max_tokens"))
            {
                json["max_tokens"] = limit.DeepClone();
                request.Content = new StringContent(json.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            }
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
