using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Planner.Web.Access;

namespace Planner.Web.Tests.Access;

public class RequestOriginGuardTests
{
    private static async Task<(int Status, string Body, bool Passed)> SendAsync(string host, string? origin = null, string allowed = "", string scheme = "http")
    {
        var passed = false;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(RequestOriginGuard.AllowedHostsKey, allowed)]).Build();
        var guard = new RequestOriginGuard(_ => { passed = true; return Task.CompletedTask; }, configuration, NullLogger<RequestOriginGuard>.Instance);
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        context.Request.Path = "/export/json";
        if (origin is not null) context.Request.Headers.Origin = origin;
        context.Response.Body = new MemoryStream();
        await guard.InvokeAsync(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync(), passed);
    }

    [Theory]
    [InlineData("127.0.0.1:5080")]
    [InlineData("localhost:5080")]
    [InlineData("LOCALHOST")]
    [InlineData("[::1]:5080")]
    [InlineData("192.168.1.20:5080")] // an address the browser was pointed at itself: no DNS answer to rebind
    public async Task Loopback_names_and_ip_addresses_are_answered(string host)
    {
        Assert.True((await SendAsync(host)).Passed);
    }

    [Theory]
    [InlineData("rebind.attacker.test:5080", "'rebind.attacker.test' is not one of them.")]
    [InlineData("localhost.attacker.test", "'localhost.attacker.test' is not one of them.")]
    [InlineData("127.0.0.1.nip.io:5080", "'127.0.0.1.nip.io' is not one of them.")]
    [InlineData("", "'' is not one of them.")]
    public async Task Any_other_name_is_refused_with_the_setting_that_allows_it(string host, string end)
    {
        var (status, body, passed) = await SendAsync(host);
        Assert.False(passed);
        Assert.Equal(400, status);
        Assert.Equal("Planner answers only to localhost, an IP address or a name listed in Planner:AllowedHosts; " + end, body);
    }

    [Fact]
    public async Task Names_listed_in_the_setting_are_answered_and_only_those()
    {
        Assert.True((await SendAsync("planner.example.com", allowed: "Planner.Example.com; other.example")).Passed);
        Assert.True((await SendAsync("other.example:8443", allowed: "planner.example.com,other.example")).Passed);
        Assert.False((await SendAsync("evil.example.com", allowed: "planner.example.com")).Passed);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", "127.0.0.1:5080", "http", true)]
    [InlineData("http://localhost:5080", "LocalHost:5080", "http", true)]
    [InlineData("https://planner.example.com", "planner.example.com", "https", true)]
    [InlineData("http://attacker.test", "127.0.0.1:5080", "http", false)]
    [InlineData("http://127.0.0.1:5081", "127.0.0.1:5080", "http", false)] // another local app's page
    [InlineData("http://localhost:5080", "127.0.0.1:5080", "http", false)] // another origin, as browsers see it
    [InlineData("https://127.0.0.1:5080", "127.0.0.1:5080", "http", false)]
    [InlineData("null", "127.0.0.1:5080", "http", false)] // sandboxed frames and files
    [InlineData("http://127.0.0.1:5080/path", "127.0.0.1:5080", "http", false)]
    public async Task A_request_from_a_page_must_come_from_this_very_site(string origin, string host, string scheme, bool answered)
    {
        var (status, body, passed) = await SendAsync(host, origin, allowed: "planner.example.com", scheme: scheme);
        Assert.Equal(answered, passed);
        if (answered) return;
        Assert.Equal(403, status);
        Assert.StartsWith($"Refused a request from another site's page ({origin})", body);
    }
}
