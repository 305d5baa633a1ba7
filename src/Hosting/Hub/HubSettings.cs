using Microsoft.Extensions.Configuration;

namespace Planner.Hosting.Hub;

/// <summary>Where the model hub is and the token to show it. The base URL is <c>Planner:Hub:BaseUrl</c>, else the
/// <c>HF_ENDPOINT</c> environment variable (the convention Hugging Face's own tools follow for mirrors), else
/// huggingface.co. The token (for gated or private repositories) is the one saved in the app, else <c>HF_TOKEN</c>.</summary>
public sealed record HubSettings(Uri BaseUrl, string? Token)
{
    public const string BaseUrlKey = "Planner:Hub:BaseUrl";
    public const string EndpointVariable = "HF_ENDPOINT";
    public const string TokenVariable = "HF_TOKEN";
    public static readonly Uri DefaultBaseUrl = new("https://huggingface.co/");

    public static HubSettings From(IConfiguration configuration, string? savedToken, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var configured = configuration[BaseUrlKey] is { Length: > 0 } fromConfig ? fromConfig : environment(EndpointVariable);
        var baseUrl = DefaultBaseUrl;
        if (configured is { Length: > 0 })
        {
            if (!Uri.TryCreate(configured.TrimEnd('/') + "/", UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
                throw new HubException(HubProblem.Configuration, $"The hub address '{configured}' ({BaseUrlKey} or {EndpointVariable}) is not an http(s) URL.");
            baseUrl = parsed;
        }
        var token = savedToken is { Length: > 0 } ? savedToken : environment(TokenVariable);
        return new HubSettings(baseUrl, string.IsNullOrWhiteSpace(token) ? null : token.Trim());
    }
}
