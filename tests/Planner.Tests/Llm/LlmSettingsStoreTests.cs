using Microsoft.EntityFrameworkCore;
using Planner.Llm;
using Planner.Persistence;
using Planner.Tests.Persistence;

namespace Planner.Tests.Llm;

/// <summary>The model settings in the database: shared by every instance on one database, changes of two writers both
/// kept, the API key encrypted at rest, and the file an earlier version kept moved in once.</summary>
public sealed class LlmSettingsStoreTests
{
    private static readonly OpenAiEndpointSettings Endpoint = new() { BaseUrl = "http://127.0.0.1:9/v1", ApiKey = "sk-live-0123456789", Model = "m", ContextTokens = 4096 };

    private static async Task<string> RawAsync(TempDatabase db)
    {
        await using var context = await db.Factory().CreateDbContextAsync();
        return (await context.Settings.SingleAsync(s => s.Key == LlmSettingsStore.SettingKey)).Value;
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Two_instances_see_each_others_saves_and_neither_undoes_the_other(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider, seedSample: false);
        var (first, second) = (new LlmSettingsStore(db.Factory(), db.Paths), new LlmSettingsStore(db.Factory(), db.Paths));
        Assert.Equal(ChatBackendKind.Local, first.Current.Backend); // read (and kept) before the other instance saves

        second.Update(s => s with { Endpoint = Endpoint, ActiveModel = "/models/a.gguf" });
        Assert.Equal(Endpoint, first.Current.Endpoint);

        // The first instance changes the backend on its (older) view: the second one's endpoint stays.
        first.Update(s => s with { Backend = ChatBackendKind.OpenAiCompatible });
        var seen = second.Current;
        Assert.Equal((ChatBackendKind.OpenAiCompatible, "/models/a.gguf"), (seen.Backend, seen.ActiveModel));
        Assert.Equal(Endpoint, seen.Endpoint);
        Assert.Null(second.LoadProblem);
        Assert.Empty(Directory.Exists(db.Directory) ? Directory.GetFiles(db.Directory, LlmSettingsStore.FileName) : []);
    }

    [Fact]
    public async Task A_model_choice_the_database_cannot_take_leaves_the_model_in_use_as_it_was()
    {
        await using var db = await TempDatabase.CreateAsync(DatabaseProvider.Sqlite, seedSample: false);
        using var runtime = new LanguageModelRuntime(new ModelRegistry([]), new LlmSettingsStore(db.Factory(), db.Paths));
        runtime.Choose("/models/a.gguf", new ModelSettings { MaxOutputTokens = 300 });

        // The database stops taking writes (as far as SQLite can tell, the file is no longer a database).
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await File.WriteAllTextAsync(db.Paths.DatabaseFile, string.Concat(Enumerable.Repeat("not a database ", 400)));
        Assert.ThrowsAny<Exception>(() => runtime.Choose("/models/b.gguf", new ModelSettings { MaxOutputTokens = 50 }));

        Assert.Equal(("/models/a.gguf", 300), (runtime.ActivePath, runtime.Settings.MaxOutputTokens));
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task Concurrent_writers_on_two_instances_lose_no_change(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider, seedSample: false);
        var stores = new[] { new LlmSettingsStore(db.Factory(), db.Paths), new LlmSettingsStore(db.Factory(), db.Paths) };

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            stores[i % 2].Update(s => s.WithModelSettings($"/models/{i}.gguf", new ModelSettings { MaxOutputTokens = 100 + i })))));

        var saved = new LlmSettingsStore(db.Factory(), db.Paths).Current;
        Assert.Equal(12, saved.Models.Count);
        Assert.All(Enumerable.Range(0, 12), i => Assert.Equal(100 + i, saved.SettingsFor($"/models/{i}.gguf").MaxOutputTokens));
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task The_api_key_is_encrypted_in_the_database_and_lost_keys_are_reported(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider, seedSample: false);
        new LlmSettingsStore(db.Factory(), db.Paths).Update(s => s with { Endpoint = Endpoint });

        var raw = await RawAsync(db);
        Assert.DoesNotContain("sk-live-0123456789", raw, StringComparison.Ordinal);
        Assert.Contains("\"apiKeyProtected\":\"CfDJ8", raw, StringComparison.Ordinal);
        Assert.Equal("sk-live-0123456789", new LlmSettingsStore(db.Factory(), db.Paths).Current.Endpoint.ApiKey);

        // The key ring gone (another data directory over the same database): the key cannot be read back, the rest can.
        Directory.Delete(Planner.Security.SecretProtector.KeysDirectory(db.Directory), recursive: true);
        var orphaned = new LlmSettingsStore(db.Factory(), db.Paths);
        Assert.Null(orphaned.Current.Endpoint.ApiKey);
        Assert.Equal(Endpoint.BaseUrl, orphaned.Current.Endpoint.BaseUrl);
        Assert.Equal("The saved API key of the OpenAI-compatible server cannot be decrypted (the data directory's keys folder was replaced or lost); enter the key again.", orphaned.LoadProblem);
    }

    [Theory, InlineData(DatabaseProvider.Sqlite), PostgresData]
    public async Task A_settings_file_of_an_earlier_version_is_moved_into_the_database_once_with_its_plain_key_encrypted(DatabaseProvider provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider, seedSample: false);
        var (first, second) = (new LlmSettingsStore(db.Factory(), db.Paths), new LlmSettingsStore(db.Factory(), db.Paths));
        Directory.CreateDirectory(db.Directory);
        await File.WriteAllTextAsync(first.LegacyFilePath,
            """{"backend": "OpenAiCompatible", "activeModel": "/models/old.gguf", "endpoint": {"baseUrl": "http://127.0.0.1:9/v1", "apiKey": "sk-old-plain", "model": "m"}}""");

        var moved = first.Current;
        Assert.Equal((ChatBackendKind.OpenAiCompatible, "/models/old.gguf", "sk-old-plain"), (moved.Backend, moved.ActiveModel, moved.Endpoint.ApiKey));
        Assert.False(File.Exists(first.LegacyFilePath));
        Assert.Empty(Directory.GetFiles(db.Directory, "*.moving"));
        Assert.DoesNotContain("sk-old-plain", await RawAsync(db), StringComparison.Ordinal);
        Assert.Equal("sk-old-plain", second.Current.Endpoint.ApiKey);

        // A file that turns up again (an old CLI on the same data directory) is stale: the database wins, the file goes.
        second.Update(s => s with { ActiveModel = "/models/new.gguf" });
        await File.WriteAllTextAsync(first.LegacyFilePath, """{"activeModel": "/models/stale.gguf"}""");
        Assert.Equal("/models/new.gguf", new LlmSettingsStore(db.Factory(), db.Paths).Current.ActiveModel);
        Assert.False(File.Exists(first.LegacyFilePath));
    }

    [Fact]
    public async Task An_unreadable_settings_file_is_reported_kept_and_replaced_by_the_first_save()
    {
        await using var db = await TempDatabase.CreateAsync(seedSample: false);
        var store = new LlmSettingsStore(db.Factory(), db.Paths);
        Directory.CreateDirectory(db.Directory);
        await File.WriteAllTextAsync(store.LegacyFilePath, "{ \"backend\": ");

        Assert.Contains("could not be read", store.LoadProblem);
        Assert.Equal(ChatBackendKind.Local, store.Current.Backend);
        Assert.True(File.Exists(store.LegacyFilePath));

        store.Update(s => s with { Backend = ChatBackendKind.OpenAiCompatible });
        Assert.Equal(ChatBackendKind.OpenAiCompatible, new LlmSettingsStore(db.Factory(), db.Paths).Current.Backend);
        Assert.False(File.Exists(store.LegacyFilePath));
    }

    [Fact]
    public async Task A_model_chosen_on_another_instance_is_the_one_the_next_request_loads()
    {
        await using var db = await TempDatabase.CreateAsync(seedSample: false);
        var models = Directory.CreateDirectory(Path.Combine(db.Directory, "models")).FullName;
        var (first, second) = (TinyModel.Write(Path.Combine(models, "a.gguf"), "a"), TinyModel.Write(Path.Combine(models, "b.gguf"), "b"));
        using var here = new LanguageModelRuntime(new ModelRegistry([models]), new LlmSettingsStore(db.Factory(), db.Paths));
        using var there = new LanguageModelRuntime(new ModelRegistry([models]), new LlmSettingsStore(db.Factory(), db.Paths));
        here.Choose(first);
        await here.MeasureAsync("hello");
        Assert.Equal(first, here.LoadedPath);

        there.Choose(second, new ModelSettings { ContextSize = 256, Threads = 1 });
        await here.MeasureAsync("hello");

        Assert.Equal((second, second, 1), (here.ActivePath, here.LoadedPath, here.Settings.Threads));
    }
}
