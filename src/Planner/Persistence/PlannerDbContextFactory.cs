using Microsoft.EntityFrameworkCore;

namespace Planner.Persistence;

/// <summary>Creates the provider's context type over one set of options (one per operation: Blazor circuits and
/// the CLI must not share a context).</summary>
public sealed class PlannerDbContextFactory(DbContextOptions options, DatabaseProvider provider) : IDbContextFactory<PlannerDbContext>
{
    public DatabaseProvider Provider { get; } = provider;

    public PlannerDbContext CreateDbContext() => Provider switch
    {
        DatabaseProvider.Sqlite => new SqlitePlannerDbContext(options),
        DatabaseProvider.Postgres => new PostgresPlannerDbContext(options),
        _ => throw new InvalidOperationException($"Unknown provider {Provider}."),
    };

    public static PlannerDbContextFactory ForSqlite(string databaseFile) =>
        new(new DbContextOptionsBuilder<PlannerDbContext>().UseSqlite($"Data Source={databaseFile};Pooling=False").Options, DatabaseProvider.Sqlite);

    public static PlannerDbContextFactory ForPostgres(string connectionString) =>
        new(new DbContextOptionsBuilder<PlannerDbContext>().UseNpgsql(connectionString).Options, DatabaseProvider.Postgres);
}
