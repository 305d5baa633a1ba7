using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Planner.Files;

namespace Planner.Persistence;

public static class PersistenceServices
{
    public const string ProviderKey = "Planner:Database:Provider";
    public const string ConnectionStringName = "Planner";

    /// <summary>Registers the database (SQLite in the data directory by default; PostgreSQL when
    /// <c>Planner:Database:Provider</c> is <c>postgres</c> and <c>ConnectionStrings:Planner</c> is set), the store
    /// and the initializer.</summary>
    public static IServiceCollection AddPlannerPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        var paths = PlannerPaths.From(configuration);
        services.AddSingleton(paths);
        services.AddSingleton<IDbContextFactory<PlannerDbContext>>(CreateFactory(configuration, paths));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RoadmapStore>();
        services.AddSingleton<InitiativeStore>();
        services.AddSingleton<RoadmapVersions>();
        services.AddSingleton<WorkspaceCatalog>();
        services.AddSingleton<PlannerDatabase>();
        services.AddSingleton<RoadmapTransfer>();
        services.AddSingleton<ImportMappingStore>();
        services.AddSingleton<SavedViewStore>();
        services.AddSingleton<ReviewLabelStore>();
        services.AddSingleton<ApiTokenStore>();
        services.AddSingleton<ShareLinkStore>();
        // PostgreSQL may serve several instances: each keeps its own index in memory, in step with the database
        // (DocumentLibrary); one on disk takes one writer.
        var postgres = IsPostgres(configuration);
        services.AddSingleton(_ => new Documents.DocumentIndex(postgres ? null : Path.Combine(paths.DataDirectory, "index")));
        services.AddSingleton<DocumentLibrary>();
        return services;
    }

    private static bool IsPostgres(IConfiguration configuration) =>
        (configuration[ProviderKey] ?? "sqlite") is var provider
        && (provider.Equals("postgres", StringComparison.OrdinalIgnoreCase) || provider.Equals("postgresql", StringComparison.OrdinalIgnoreCase));

    private static PlannerDbContextFactory CreateFactory(IConfiguration configuration, PlannerPaths paths)
    {
        var provider = configuration[ProviderKey] ?? "sqlite";
        if (provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
            return PlannerDbContextFactory.ForSqlite(paths.DatabaseFile);
        if (IsPostgres(configuration))
        {
            var connection = configuration.GetConnectionString(ConnectionStringName);
            if (string.IsNullOrWhiteSpace(connection))
                throw new InvalidOperationException($"{ProviderKey} is 'postgres' but ConnectionStrings:{ConnectionStringName} is not set.");
            return PlannerDbContextFactory.ForPostgres(connection);
        }
        throw new InvalidOperationException($"{ProviderKey} must be 'sqlite' or 'postgres', not '{provider}'.");
    }
}
