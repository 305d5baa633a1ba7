using Microsoft.EntityFrameworkCore;
using Planner.Interchange;

namespace Planner.Persistence;

/// <summary>Brings the database to the current schema and, when it holds no workspace, seeds the sample workspace.</summary>
public sealed class PlannerDatabase(IDbContextFactory<PlannerDbContext> factory, RoadmapStore store)
{
    /// <summary>The sample roadmap that ships with the app (copied next to the binaries at build time).</summary>
    public static string SampleRoadmapPath => Path.Combine(AppContext.BaseDirectory, "sample", "roadmap.json");

    /// <summary>Migrates, and seeds the sample into an empty database when asked. Returns true when it seeded.</summary>
    public async Task<bool> InitializeAsync(bool seedSample, CancellationToken ct = default)
    {
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            if (db.Database.IsSqlite())
            {
                var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
                if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir) Directory.CreateDirectory(dir);
            }
            await db.Database.MigrateAsync(ct);
            if (db.Database.IsSqlite())
            {
                // WAL lets the CLI read while the web app writes; a busy timeout waits for the other writer.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }
            if (!seedSample || await db.Workspaces.AnyAsync(ct)) return false;
        }

        var result = RoadmapJson.Read(await File.ReadAllBytesAsync(SampleRoadmapPath, ct));
        if (!result.Ok)
            throw new InvalidOperationException($"The bundled sample roadmap is invalid: {string.Join("; ", result.Problems)}");
        await store.ReplaceRoadmapAsync(result.Workspace!, "sample import", ct);
        return true;
    }
}
