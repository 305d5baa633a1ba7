using Microsoft.EntityFrameworkCore.Design;

namespace Planner.Persistence;

/// <summary>Used by `dotnet ef migrations add` only; the app builds contexts through <see cref="PlannerDbContextFactory"/>.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePlannerDbContext>
{
    public SqlitePlannerDbContext CreateDbContext(string[] args) =>
        (SqlitePlannerDbContext)PlannerDbContextFactory.ForSqlite("design-time.db").CreateDbContext();
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPlannerDbContext>
{
    public PostgresPlannerDbContext CreateDbContext(string[] args) =>
        (PostgresPlannerDbContext)PlannerDbContextFactory.ForPostgres("Host=localhost;Database=planner").CreateDbContext();
}
