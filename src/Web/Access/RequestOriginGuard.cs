using System.Net;
using Planner.Security;

namespace Planner.Web.Access;

/// <summary>Answers only requests addressed to this app, from this app's own pages.
/// <para>DNS rebinding: a page on <c>attacker.test</c> can make its own name resolve to 127.0.0.1 and then read and
/// drive the loopback app with the browser's same-origin blessing — its requests still say <c>Host: attacker.test</c>.
/// So the Host must be <c>localhost</c>, an IP address (a browser that sent one navigated to that address itself; no
/// DNS answer is involved) or a name listed in <c>Planner:AllowedHosts</c> (for an exposed app).</para>
/// <para>Cross-site requests: a request a browser sends from another site's page carries its <c>Origin</c>, which must
/// then be this very site (scheme, name and port of the request) — this is what guards the Blazor hub's WebSocket,
/// which the same-origin policy does not cover.</para>
/// ASP.NET Core's host filtering is not used because it checks the Host only and answers an empty 400; a founder who
/// reaches the app under a new name needs to be told which setting to change.</summary>
public sealed class RequestOriginGuard(RequestDelegate next, IConfiguration configuration, ILogger<RequestOriginGuard> logger)
{
    public const string AllowedHostsKey = "Planner:AllowedHosts";

    private readonly HashSet<string> allowedNames = AllowedNames(configuration);

    /// <summary>The names in <c>Planner:AllowedHosts</c> (separated by ';' or ','), without ports, lower-cased.</summary>
    public static HashSet<string> AllowedNames(IConfiguration configuration) =>
        new((configuration[AllowedHostsKey] ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant()), StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        var refusal = Refusal(context.Request);
        if (refusal is null)
        {
            await next(context);
            return;
        }
        logger.LogWarning("Refused {Method} {Path}: {Refusal}", context.Request.Method, context.Request.Path, refusal.Value.Message);
        context.Response.StatusCode = refusal.Value.Status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(refusal.Value.Message);
    }

    private (int Status, string Message)? Refusal(HttpRequest request)
    {
        var host = request.Host.Host;
        if (!IsAllowedHost(host))
            return (StatusCodes.Status400BadRequest,
                $"Planner answers only to localhost, an IP address or a name listed in {AllowedHostsKey}; '{UntrustedText.Shown(host, 100)}' is not one of them.");
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsSameOrigin(origin, request))
            return (StatusCodes.Status403Forbidden,
                $"Refused a request from another site's page ({UntrustedText.Shown(origin, 100)}): Planner takes requests only from its own pages.");
        return null;
    }

    /// <summary>True for localhost, any IP address literal, and the configured names.</summary>
    public bool IsAllowedHost(string host)
    {
        if (host.Length == 0) return false;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        if (IPAddress.TryParse(host.Trim('[', ']'), out _)) return true;
        return allowedNames.Contains(host.ToLowerInvariant());
    }

    /// <summary>The Origin names the request's own scheme, host and port ("null" and foreign origins do not).</summary>
    public static bool IsSameOrigin(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || uri.Query.Length > 0) return false;
        var requestPort = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return uri.Scheme.Equals(request.Scheme, StringComparison.OrdinalIgnoreCase)
            && uri.Host.Trim('[', ']').Equals(request.Host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
            && uri.Port == requestPort;
    }
}
