using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Planner.Persistence;
using Planner.Hosting.Hub;

namespace Planner.Hosting.Tests.Hub;

public sealed class HubSettingsTests
{
    private static IConfiguration Config(string? baseUrl = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(baseUrl is null ? [] : [new(HubSettings.BaseUrlKey, baseUrl)]).Build();

    [Fact]
    public void The_configured_address_wins_then_HF_ENDPOINT_then_huggingface_co()
    {
        var environment = new Dictionary<string, string?> { [HubSettings.EndpointVariable] = "http://mirror.local:8080" };

        Assert.Equal(new Uri("https://hub.example/"), HubSettings.From(Config("https://hub.example"), null, environment.GetValueOrDefault).BaseUrl);
        Assert.Equal(new Uri("http://mirror.local:8080/"), HubSettings.From(Config(), null, environment.GetValueOrDefault).BaseUrl);
        Assert.Equal(HubSettings.DefaultBaseUrl, HubSettings.From(Config(), null, _ => null).BaseUrl);
    }

    [Fact]
    public void The_saved_token_wins_over_HF_TOKEN()
    {
        var environment = new Dictionary<string, string?> { [HubSettings.TokenVariable] = "hf_env" };

        Assert.Equal("hf_saved", HubSettings.From(Config(), "hf_saved", environment.GetValueOrDefault).Token);
        Assert.Equal("hf_env", HubSettings.From(Config(), null, environment.GetValueOrDefault).Token);
        Assert.Null(HubSettings.From(Config(), null, _ => null).Token);
    }

    [Theory]
    [InlineData("ftp://hub.example")]
    [InlineData("not a url")]
    public void An_address_that_is_not_http_is_a_clear_error(string value)
    {
        var refused = Assert.Throws<HubException>(() => HubSettings.From(Config(value), null, _ => null));

        Assert.Equal(HubProblem.Configuration, refused.Problem);
        Assert.Contains(HubSettings.BaseUrlKey, refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A migrated SQLite database in <paramref name="folder"/>, as the app makes it.</summary>
    private static async Task<IDbContextFactory<PlannerDbContext>> DatabaseAsync(TempFolder folder)
    {
        var factory = PlannerDbContextFactory.ForSqlite(new Files.PlannerPaths(folder.Path).DatabaseFile);
        await new PlannerDatabase(factory, new RoadmapStore(factory, TimeProvider.System)).InitializeAsync(seedSample: false);
        return factory;
    }

    [Fact]
    public async Task The_token_is_kept_encrypted_in_the_database_shared_by_two_instances_and_never_backed_up()
    {
        using var folder = new TempFolder();
        var factory = await DatabaseAsync(folder);
        var paths = new Files.PlannerPaths(folder.Path);
        var (first, second) = (new HubTokenStore(factory, paths), new HubTokenStore(factory, paths));
        first.Save("hf_secret_value");

        await using (var db = await factory.CreateDbContextAsync())
        {
            var raw = (await db.Settings.SingleAsync(s => s.Key == HubTokenStore.SettingKey)).Value;
            Assert.DoesNotContain("hf_secret_value", raw, StringComparison.Ordinal);
            Assert.StartsWith("CfDJ8", raw, StringComparison.Ordinal);
        }
        Assert.Equal("hf_secret_value", second.Read());
        second.Save("hf_replaced");
        Assert.Equal("hf_replaced", first.Read());

        // The backup's copy of the database holds no settings, not even their ciphertext.
        var archive = Path.Combine(folder.Path, "backup.zip");
        await Backup.WorkspaceBackup.CreateAsync(folder.Path, archive, includeModels: false, "test", DateTime.UtcNow);
        using (var zip = System.IO.Compression.ZipFile.OpenRead(archive))
        {
            using var stream = new MemoryStream();
            await using (var entry = await zip.GetEntry(Backup.BackupContent.DatabaseEntry)!.OpenAsync()) await entry.CopyToAsync(stream);
            Assert.Equal(-1, stream.ToArray().AsSpan().IndexOf("CfDJ8"u8));
        }

        first.Clear();
        Assert.Null(second.Read());
    }

    [Fact]
    public async Task A_token_file_of_an_earlier_version_is_moved_into_the_database_once()
    {
        using var folder = new TempFolder();
        var factory = await DatabaseAsync(folder);
        var paths = new Files.PlannerPaths(folder.Path);
        var protectedToken = new Security.SecretProtector(folder.Path, "Planner.Hub.Token").Protect("hf_from_before");
        var store = new HubTokenStore(factory, paths);
        await File.WriteAllTextAsync(store.LegacyFilePath, protectedToken + "\n");

        Assert.Equal("hf_from_before", store.Read());
        Assert.False(File.Exists(store.LegacyFilePath));
        Assert.Equal("hf_from_before", new HubTokenStore(factory, paths).Read());
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(protectedToken, (await db.Settings.SingleAsync()).Value);
    }
}
