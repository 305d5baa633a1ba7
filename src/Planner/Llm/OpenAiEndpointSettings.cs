namespace Planner.Llm;

/// <summary>An OpenAI-compatible chat server (vLLM, Ollama, llama.cpp's server): its base URL (the part before
/// <c>/chat/completions</c>, usually ending in <c>/v1</c>), an optional API key sent as a Bearer token, the model
/// name it serves, and that model's context (servers do not report it through the chat API).</summary>
public sealed record OpenAiEndpointSettings
{
    public string BaseUrl { get; init; } = "";
    public string? ApiKey { get; init; }
    public string Model { get; init; } = "";
    public int ContextTokens { get; init; } = 8192;

    /// <summary>What must be fixed before the endpoint can be used, by field name; empty when it is usable.</summary>
    public IReadOnlyDictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>();
        if (!Uri.TryCreate(BaseUrl.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            problems[nameof(BaseUrl)] = "Give the server's base URL, e.g. http://127.0.0.1:8000/v1.";
        if (string.IsNullOrWhiteSpace(Model)) problems[nameof(Model)] = "Give the model name the server serves.";
        if (ContextTokens is < 256 or > 10_000_000) problems[nameof(ContextTokens)] = "The context must be between 256 and 10,000,000 tokens.";
        return problems;
    }
}
