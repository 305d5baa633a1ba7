using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Planner.Web;

/// <summary>Planner serves only this machine unless told otherwise: listening on another address is refused unless
/// <c>Planner:AllowRemoteAccess</c> is true, which also makes every page ask for the administrator password.</summary>
public static class LoopbackGuard
{
    public const string AllowRemoteKey = "Planner:AllowRemoteAccess";

    public static void CheckConfiguredUrls(IConfiguration configuration)
    {
        if (configuration.GetValue(AllowRemoteKey, false)) return;
        var urls = (configuration["urls"] ?? configuration["Urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        foreach (var url in urls)
        {
            if (!IsLoopbackUrl(url))
                throw new Access.StartupRefusal(Refusal(url));
        }
    }

    /// <summary>Defence in depth: whatever configured the server, stop if it ended up listening beyond loopback.</summary>
    public static void CheckBoundAddressesOnStart(WebApplication app)
    {
        if (app.Configuration.GetValue(AllowRemoteKey, false)) return;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var address in addresses.Where(a => !IsLoopbackUrl(a)))
            {
                app.Logger.LogCritical("{Refusal}", Refusal(address));
                app.Lifetime.StopApplication();
            }
        });
    }

    public static bool IsLoopbackUrl(string url)
    {
        // Kestrel accepts wildcards that Uri does not parse: http://*:5000, http://+:5000.
        var host = url.Contains("://") ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        host = host.Split('/')[0];
        if (host.StartsWith('['))
            host = host[1..host.IndexOf(']')];
        else if (host.LastIndexOf(':') is var colon and > 0)
            host = host[..colon];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }

    private static string Refusal(string url) =>
        $"Refusing to listen on {url}: by default Planner only serves this machine (127.0.0.1), without a login. " +
        $"To expose it, set an administrator password (planner admin-password) and {AllowRemoteKey}=true " +
        "(environment variable Planner__AllowRemoteAccess=true); every page then asks for the password. Use HTTPS (e.g. a reverse proxy) beyond a trusted network.";
}
