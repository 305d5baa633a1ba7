using System.Reflection;
using Planner.Persistence;
using Xunit.Sdk;

namespace Planner.Tests.Persistence;

/// <summary>Adds a PostgreSQL case to a persistence theory. It runs against the server in
/// <see cref="PostgresTestServer.Variable"/> (test.sh starts a throwaway one) and is reported as skipped, with the
/// reason, when that is not set.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresDataAttribute : DataAttribute
{
    public PostgresDataAttribute()
    {
        if (PostgresTestServer.ConnectionString is null)
            Skip = $"{PostgresTestServer.Variable} is not set (test.sh starts a PostgreSQL when it can; see build/postgres.sh).";
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[DatabaseProvider.Postgres]];
}
