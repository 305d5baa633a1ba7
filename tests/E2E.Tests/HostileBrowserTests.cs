using System.Net;
using System.Net.WebSockets;

namespace Planner.E2E.Tests;

/// <summary>A page on another site, in the founder's browser, against the loopback app: DNS rebinding (the attacker's
/// name resolving to 127.0.0.1) and cross-site requests to the downloads and the Blazor hub.</summary>
public sealed class HostileBrowserTests
{
    private static HttpRequestMessage Get(AppServer app, string path, string? host = null, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, app.BaseUrl + path);
        if (host is not null) request.Headers.Host = host;
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    [Fact]
    public async Task Dns_rebinding_and_cross_site_requests_get_nothing_and_the_app_keeps_serving_its_own_pages()
    {
        await using var app = await AppServer.StartAsync();
        using var http = new HttpClient();
        var port = new Uri(app.BaseUrl).Port;

        // The rebinding attack: the browser believes it talks to rebind.attacker.test, so that is the Host it sends.
        foreach (var path in new[] { "/export/json?workspace=Ledgerloom", "/healthz", "/" })
        {
            var rebound = await http.SendAsync(Get(app, path, host: $"rebind.attacker.test:{port}"));
            Assert.Equal(HttpStatusCode.BadRequest, rebound.StatusCode);
            Assert.Equal("Planner answers only to localhost, an IP address or a name listed in Planner:AllowedHosts; 'rebind.attacker.test' is not one of them.",
                await rebound.Content.ReadAsStringAsync());
        }

        // A cross-site fetch of a download, and the Blazor hub's negotiation from another site's page.
        var foreign = await http.SendAsync(Get(app, "/export/json?workspace=Ledgerloom", origin: "http://attacker.test"));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.DoesNotContain("initiatives", await foreign.Content.ReadAsStringAsync());
        var negotiate = new HttpRequestMessage(HttpMethod.Post, app.BaseUrl + "/_blazor/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Origin", "http://attacker.test");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(negotiate)).StatusCode);

        // The hub's WebSocket, which the browser's same-origin policy does not guard, opened straight from another site.
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "http://attacker.test");
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/_blazor"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);

        // The app's own requests: by address, by localhost, and from its own pages.
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Get(app, "/export/json?workspace=Ledgerloom"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Get(app, "/healthz", host: $"localhost:{port}"))).StatusCode);
        var own = await http.SendAsync(Get(app, "/export/json?workspace=Ledgerloom", origin: app.BaseUrl));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("initiatives", await own.Content.ReadAsStringAsync());
        await app.WaitForLogAsync(log => log.Contains("Refused GET /export/json", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_name_listed_in_the_setting_is_answered()
    {
        await using var app = await AppServer.StartAsync(environment: new Dictionary<string, string> { ["Planner__AllowedHosts"] = "planner.internal" });
        using var http = new HttpClient();
        var port = new Uri(app.BaseUrl).Port;
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Get(app, "/healthz", host: $"planner.internal:{port}"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(Get(app, "/healthz", host: $"planner.internal.attacker.test:{port}"))).StatusCode);
    }
}
