using Microsoft.EntityFrameworkCore;
using Npgsql;
using Planner.Persistence;
using Planner.Files;

namespace Planner.Tests.Persistence;

/// <summary>A fresh database migrated like the app does, deleted afterwards: a SQLite file in a temp directory, or a
/// new database on the PostgreSQL test server. Either way a temp directory holds the data files beside it.</summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "planner-tests", Guid.NewGuid().ToString("N"));
    public PlannerPaths Paths => new(Directory);
    public DatabaseProvider Provider { get; }

    /// <summary>For PostgreSQL: the connection string of this test's own database.</summary>
    private readonly string? postgres;

    private TempDatabase(DatabaseProvider provider, string? postgres)
    {
        Provider = provider;
        this.postgres = postgres;
    }

    public static Task<TempDatabase> CreateAsync(bool seedSample = true) => CreateAsync(DatabaseProvider.Sqlite, seedSample);

    public static async Task<TempDatabase> CreateAsync(DatabaseProvider provider, bool seedSample = true)
    {
        var db = provider == DatabaseProvider.Postgres ? new TempDatabase(provider, await CreatePostgresDatabaseAsync()) : new TempDatabase(provider, null);
        await db.NewDatabase().InitializeAsync(seedSample);
        return db;
    }

    private static async Task<string> CreatePostgresDatabaseAsync()
    {
        var server = PostgresTestServer.ConnectionString
                     ?? throw new InvalidOperationException($"{PostgresTestServer.Variable} is not set.");
        var name = $"planner_test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection)) await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public IDbContextFactory<PlannerDbContext> Factory() => Provider == DatabaseProvider.Postgres
        ? PlannerDbContextFactory.ForPostgres(postgres!)
        : PlannerDbContextFactory.ForSqlite(Paths.DatabaseFile);

    /// <summary>A store over its own factory, as a second process (another tab, the CLI) would have.</summary>
    public RoadmapStore NewStore() => new(Factory(), TimeProvider.System);

    /// <summary>Initiative edits over their own factory, as a second process would make them.</summary>
    public InitiativeStore NewInitiatives() => new(Factory());

    public RoadmapVersions NewVersions() => new(Factory(), NewStore(), TimeProvider.System);

    public PlannerDatabase NewDatabase() => new(Factory(), NewStore());

    public async ValueTask DisposeAsync()
    {
        if (postgres is not null)
        {
            NpgsqlConnection.ClearAllPools();
            var name = new NpgsqlConnectionStringBuilder(postgres).Database;
            await using var connection = new NpgsqlConnection(PostgresTestServer.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
