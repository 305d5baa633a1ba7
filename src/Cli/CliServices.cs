using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Planner.Llm;
using Planner.Persistence;

namespace Planner.Cli;

/// <summary>The services a command needs, configured like the web app (environment variables, same data directory).</summary>
public static class CliServices
{
    public static async Task<ServiceProvider> StartAsync(ParseResult parsed, CancellationToken ct)
    {
        var builder = new ConfigurationBuilder().AddEnvironmentVariables();
        if (parsed.GetValue(CliOptions.DataDirectory) is { Length: > 0 } dataDir)
            builder.AddInMemoryCollection([new(PlannerPaths.DataDirectoryKey, dataDir)]);
        var configuration = builder.Build();

        var services = new ServiceCollection().AddPlannerPersistence(configuration).AddPlannerLlm(configuration).BuildServiceProvider();
        await services.GetRequiredService<PlannerDatabase>().InitializeAsync(seedSample: !parsed.GetValue(CliOptions.NoSeed), ct);
        return services;
    }
}
