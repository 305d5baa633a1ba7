namespace Planner.Tests.Persistence;

/// <summary>The PostgreSQL server the persistence tests may use: a connection string to its maintenance database,
/// as a user allowed to create databases (each test gets its own).</summary>
internal static class PostgresTestServer
{
    public const string Variable = "PLANNER_TEST_POSTGRES";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;
}
