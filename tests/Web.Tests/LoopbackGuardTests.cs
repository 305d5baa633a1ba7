using Microsoft.Extensions.Configuration;

namespace Planner.Web.Tests;

public class LoopbackGuardTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://127.8.9.10:80", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://192.168.1.20:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://planner.example.com", false)]
    public void Only_loopback_addresses_count_as_local(string url, bool loopback)
    {
        Assert.Equal(loopback, LoopbackGuard.IsLoopbackUrl(url));
    }

    [Fact]
    public void A_non_loopback_binding_is_refused_unless_remote_access_is_allowed()
    {
        var exposed = new ConfigurationBuilder().AddInMemoryCollection([new("Urls", "http://127.0.0.1:5080;http://0.0.0.0:5081")]).Build();
        var error = Assert.Throws<Planner.Web.Access.StartupRefusal>(() => LoopbackGuard.CheckConfiguredUrls(exposed));
        Assert.Contains("Refusing to listen on http://0.0.0.0:5081", error.Message);
        Assert.Contains("Planner__AllowRemoteAccess=true", error.Message);

        var endpoint = new ConfigurationBuilder().AddInMemoryCollection([new("Kestrel:Endpoints:Http:Url", "http://*:80")]).Build();
        Assert.Throws<Planner.Web.Access.StartupRefusal>(() => LoopbackGuard.CheckConfiguredUrls(endpoint));

        var allowed = new ConfigurationBuilder().AddInMemoryCollection([new("Urls", "http://0.0.0.0:5081"), new(LoopbackGuard.AllowRemoteKey, "true")]).Build();
        LoopbackGuard.CheckConfiguredUrls(allowed);
    }
}
