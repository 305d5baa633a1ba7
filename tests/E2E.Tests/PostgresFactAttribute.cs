namespace Planner.E2E.Tests;

/// <summary>A test that needs the PostgreSQL server in <c>PLANNER_TEST_POSTGRES</c> (test.sh starts a throwaway one);
/// reported as skipped, with the reason, when it is not set.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "PLANNER_TEST_POSTGRES";

    public static string? Server => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public PostgresFactAttribute()
    {
        if (Server is null) Skip = $"{Variable} is not set (test.sh starts a PostgreSQL when it can; see build/postgres.sh).";
    }
}
