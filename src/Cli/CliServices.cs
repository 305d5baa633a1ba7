using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Planner.Llm;
using Planner.Persistence;
using Planner.Scenarios;
using Planner.Files;

namespace Planner.Cli;

/// <summary>The services a command needs, configured like the web app (environment variables, same data directory).</summary>
public static class CliServices
{
    public static async Task<ServiceProvider> StartAsync(ParseResult parsed, CancellationToken ct)
    {
        var configuration = Configuration(parsed);
        var services = new ServiceCollection().AddPlannerPersistence(configuration).AddPlannerPlanning().AddSingleton<Planner.Sharing.RoadmapShare>().AddSingleton<Planner.Assistant.Chat.ChatHistoryStore>().AddPlannerLlm(configuration).BuildServiceProvider();
        await services.GetRequiredService<PlannerDatabase>().InitializeAsync(seedSample: !parsed.GetValue(CliOptions.NoSeed), ct);
        return services;
    }

    /// <summary>The hub token, kept in the database: migrated first, without the sample (a pull seeds no workspace).</summary>
    public static async Task<Hosting.Hub.HubTokenStore> HubTokensAsync(ParseResult parsed, CancellationToken ct)
    {
        var services = new ServiceCollection().AddPlannerPersistence(Configuration(parsed)).BuildServiceProvider();
        await services.GetRequiredService<PlannerDatabase>().InitializeAsync(seedSample: false, ct);
        return new Hosting.Hub.HubTokenStore(services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PlannerDbContext>>(), services.GetRequiredService<PlannerPaths>());
    }

    /// <summary>The data directory and models folders, for commands that touch files but not the database.</summary>
    public static PlannerPaths Paths(ParseResult parsed) => PlannerPaths.From(Configuration(parsed));

    public static IConfiguration Configuration(ParseResult parsed)
    {
        var builder = new ConfigurationBuilder().AddEnvironmentVariables();
        if (parsed.GetValue(CliOptions.DataDirectory) is { Length: > 0 } dataDir)
            builder.AddInMemoryCollection([new(PlannerPaths.DataDirectoryKey, dataDir)]);
        return builder.Build();
    }
}
