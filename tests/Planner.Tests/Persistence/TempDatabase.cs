using Microsoft.EntityFrameworkCore;
using Planner.Persistence;

namespace Planner.Tests.Persistence;

/// <summary>A real SQLite file in a fresh temp directory, migrated like the app does, deleted afterwards.</summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "planner-tests", Guid.NewGuid().ToString("N"));
    public PlannerPaths Paths => new(Directory);

    private TempDatabase() { }

    public static async Task<TempDatabase> CreateAsync(bool seedSample = true)
    {
        var db = new TempDatabase();
        await db.NewDatabase().InitializeAsync(seedSample);
        return db;
    }

    public IDbContextFactory<PlannerDbContext> Factory() => PlannerDbContextFactory.ForSqlite(Paths.DatabaseFile);

    /// <summary>A store over its own factory, as a second process (another tab, the CLI) would have.</summary>
    public RoadmapStore NewStore() => new(Factory(), TimeProvider.System);

    public PlannerDatabase NewDatabase() => new(Factory(), NewStore());

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
