using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Planner.Persistence;
using Planner.Roadmaps;

namespace Planner.Tests.Persistence;

public class KeyResultStoreTests
{
    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Text_key_results_saved_before_the_upgrade_keep_their_text_and_measured_ones_keep_their_numbers(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        await using (var ctx = await db.Factory().CreateDbContextAsync())
        {
            // Back to the schema before measured key results (text only), then upgraded again, as an old database is.
            var migrations = ctx.Database.GetMigrations().ToList();
            var measured = migrations.FindIndex(m => m.EndsWith("_MeasuredKeyResults", StringComparison.Ordinal));
            var migrator = ctx.GetService<IMigrator>();
            await migrator.MigrateAsync(migrations[measured - 1]);
            await migrator.MigrateAsync();
        }

        var loaded = (await db.NewStore().LoadAsync())!;
        var texts = Samples.Sample().Objectives.SelectMany(o => o.KeyResults).Select(k => k.Text).ToList();
        Assert.Equal(texts, loaded.Objectives.SelectMany(o => o.KeyResults).Select(k => k.Text).ToList());
        Assert.All(loaded.Objectives.SelectMany(o => o.KeyResults), k => Assert.Equal(new KeyResult(k.Text), k));

        var edited = loaded.Clone();
        edited.Objectives[0].KeyResults = [new KeyResult("ARR", "$k", 400, 600, 1200), new KeyResult("Be loved")];
        Assert.True((await db.NewStore().UpdateWorkspaceAsync(edited, RoadmapStore.CompanyFingerprint(loaded))).Ok);
        Assert.Equal(edited.Objectives[0].KeyResults, (await db.NewStore().LoadAsync())!.Objectives[0].KeyResults);
    }
}
