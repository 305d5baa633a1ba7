using Planner.Files;
using Planner.Persistence;

namespace Planner.Web.Access;

/// <summary>SQLite serves one web app at a time: the first instance holds an exclusive lock on <c>instance.lock</c> in
/// the data directory for as long as it runs (the operating system lets go of it when the process ends, even when
/// killed); a second one is refused at start with the reason. Several instances need PostgreSQL.</summary>
public sealed class SqliteInstanceLock(FileStream held) : IDisposable
{
    public const string FileName = PlannerPaths.InstanceLockFileName;

    public static void Take(WebApplicationBuilder builder)
    {
        var provider = builder.Configuration[PersistenceServices.ProviderKey] ?? "sqlite";
        if (!provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase)) return;
        var directory = PlannerPaths.From(builder.Configuration).DataDirectory;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        try
        {
            builder.Services.AddSingleton(new SqliteInstanceLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)));
        }
        catch (IOException)
        {
            throw new StartupRefusal(
                $"Refusing to start: another Planner web app is already using the data directory {directory} ({path} is locked). " +
                $"SQLite serves one instance; to run several, use PostgreSQL ({PersistenceServices.ProviderKey}=postgres, see docs/configuration.md).");
        }
    }

    public void Dispose() => held.Dispose();
}
