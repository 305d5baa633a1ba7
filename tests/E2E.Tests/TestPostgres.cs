using Npgsql;

namespace Planner.E2E.Tests;

/// <summary>A database of a test's own on the server in <see cref="PostgresFactAttribute.Server"/>, and the app's
/// settings for it; the test drops it when done.</summary>
public static class TestPostgres
{
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var database = $"{prefix}_{Guid.NewGuid():N}";
        await AdminAsync($"CREATE DATABASE \"{database}\"");
        return database;
    }

    public static Dictionary<string, string> AppEnvironment(string database) => new()
    {
        ["Planner__Database__Provider"] = "postgres",
        ["ConnectionStrings__Planner"] = new NpgsqlConnectionStringBuilder(PostgresFactAttribute.Server) { Database = database }.ConnectionString,
    };

    public static async Task DropDatabaseAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }

    /// <summary>The first value <paramref name="sql"/> returns in the test's own <paramref name="database"/>.</summary>
    public static async Task<object?> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresFactAttribute.Server) { Database = database, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public static async Task AdminAsync(string sql)
    {
        await using var admin = new NpgsqlConnection(PostgresFactAttribute.Server);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }
}
