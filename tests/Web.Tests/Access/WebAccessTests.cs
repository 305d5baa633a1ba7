using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Planner.Web.Access;

namespace Planner.Web.Tests.Access;

public class WebAccessTests
{
    private static WebApplication Build(string environment, bool exposed)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection([new(LoopbackGuard.AllowRemoteKey, exposed ? "true" : "false")]);
        WebAccess.ProductionWhenExposed(builder);
        return builder.Build();
    }

    [Fact]
    public async Task An_exposed_app_runs_as_production_even_when_started_in_development()
    {
        await using var exposed = Build(Environments.Development, exposed: true);
        Assert.True(exposed.Environment.IsProduction());
        Assert.True(exposed.Services.GetRequiredService<IWebHostEnvironment>().IsProduction());

        await using var local = Build(Environments.Development, exposed: false); // on loopback a developer keeps their page
        Assert.True(local.Environment.IsDevelopment());
    }
}
