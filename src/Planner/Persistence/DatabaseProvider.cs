namespace Planner.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
