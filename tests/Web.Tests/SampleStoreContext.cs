using Microsoft.Extensions.DependencyInjection;
using Planner.Persistence;
using Planner.Roadmaps;
using Planner.Scenarios;
using Radzen;
using Planner.Files;

namespace Planner.Web.Tests;

/// <summary>A bUnit context over a real store on a real SQLite file seeded with the sample workspace, with Radzen's
/// services; the file is deleted afterwards.</summary>
public abstract class SampleStoreContext : BunitContext, IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "planner-web-tests", Guid.NewGuid().ToString("N"));

    protected RoadmapStore Store { get; private set; } = default!;
    protected InitiativeStore Initiatives { get; private set; } = default!;
    protected RoadmapVersions Versions { get; private set; } = default!;
    protected Workspace Workspace { get; private set; } = default!;
    protected ImportMappingStore Mappings { get; private set; } = default!;
    protected SavedViewStore Views { get; private set; } = default!;
    protected PlannerPaths Paths => new(directory);
    protected Microsoft.EntityFrameworkCore.IDbContextFactory<PlannerDbContext> Factory { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        var factory = Factory = PlannerDbContextFactory.ForSqlite(new PlannerPaths(directory).DatabaseFile);
        Store = new RoadmapStore(factory, TimeProvider.System);
        Initiatives = new InitiativeStore(factory);
        Versions = new RoadmapVersions(factory, Store, TimeProvider.System);
        Mappings = new ImportMappingStore(factory, TimeProvider.System);
        Views = new SavedViewStore(factory, TimeProvider.System);
        await new PlannerDatabase(factory, Store).InitializeAsync(seedSample: true);
        Workspace = (await Store.LoadAsync())!;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddRadzenComponents();
        Services.AddSingleton(Store);
        Services.AddSingleton(Initiatives);
        Services.AddSingleton(Versions);
        Services.AddSingleton(Mappings);
        Services.AddSingleton(Views);
        Services.AddSingleton(new ShareLinkStore(factory, TimeProvider.System));
        Services.AddSingleton(TimeProvider.System);
        Services.AddPlannerPlanning();
    }

    public new Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }
}
