using Microsoft.EntityFrameworkCore;

namespace Planner.Persistence;

/// <summary>The embedded default. Its own type so that its migrations (Migrations/Sqlite) are found by type.</summary>
public sealed class SqlitePlannerDbContext(DbContextOptions options) : PlannerDbContext(options);
