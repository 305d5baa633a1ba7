using Microsoft.EntityFrameworkCore;

namespace Planner.Persistence;

/// <summary>The multi-user option. Its own type so that its migrations (Migrations/Postgres) are found by type.</summary>
public sealed class PostgresPlannerDbContext(DbContextOptions options) : PlannerDbContext(options);
