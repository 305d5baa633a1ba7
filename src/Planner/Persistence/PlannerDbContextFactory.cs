using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

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
        new(Options().UseSqlite($"Data Source={databaseFile};Pooling=False").Options, DatabaseProvider.Sqlite);

    public static PlannerDbContextFactory ForPostgres(string connectionString) =>
        new(Options().UseNpgsql(connectionString).Options, DatabaseProvider.Postgres);

    /// <summary>Each context runs on its compiled model (Persistence/CompiledModels, found by EF Core through the
    /// assembly's attribute), so no start builds the model from its conventions. Start-up migrations skip EF Core's
    /// pending-model-changes check, which builds the model that way all the same: the Persistence tests check both that
    /// the migrations match the model and that the compiled models do.</summary>
    private static DbContextOptionsBuilder<PlannerDbContext> Options() =>
        new DbContextOptionsBuilder<PlannerDbContext>().ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
}
