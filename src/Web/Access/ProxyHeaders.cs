using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Planner.Web.Access;

/// <summary>Behind a reverse proxy the connection comes from the proxy: its <c>X-Forwarded-For</c>,
/// <c>-Proto</c> and <c>-Host</c> say who the client is, over which scheme and under which name. They are believed
/// only from the addresses in <c>Planner:TrustedProxies</c> (separated by ';' or ','); without that setting they are
/// ignored, since anyone can send them. Believed, they make the sign-in rate limit count real clients, the cookie
/// <c>Secure</c> behind TLS, and the Host and Origin checks see the name the browser used.</summary>
public static class ProxyHeaders
{
    public const string TrustedProxiesKey = "Planner:TrustedProxies";

    public static IReadOnlyList<IPAddress> TrustedProxies(IConfiguration configuration)
    {
        var listed = (configuration[TrustedProxiesKey] ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var addresses = new List<IPAddress>();
        foreach (var entry in listed)
        {
            if (!IPAddress.TryParse(entry, out var address))
                throw new StartupRefusal($"{TrustedProxiesKey} lists '{entry}', which is not an IP address; list the reverse proxy's addresses (e.g. 127.0.0.1).");
            addresses.Add(address);
        }
        return addresses;
    }

    public static void Configure(WebApplicationBuilder builder)
    {
        var proxies = TrustedProxies(builder.Configuration);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var proxy in proxies) options.KnownProxies.Add(proxy);
        });
    }

    /// <summary>First in the pipeline, so everything after it sees the client as the proxy reported it.</summary>
    public static void UseProxyHeaders(this WebApplication app)
    {
        if (TrustedProxies(app.Configuration).Count > 0) app.UseForwardedHeaders();
    }
}
