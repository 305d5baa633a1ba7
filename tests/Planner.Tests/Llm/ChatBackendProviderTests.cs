using Planner.Llm;
using Planner.Files;

namespace Planner.Tests.Llm;

public sealed class ChatBackendProviderTests
{
    private static readonly string TinyFolder = Path.GetDirectoryName(TinyModel.File)!;

    [Fact]
    public void Settings_survive_a_restart_and_are_written_without_leftovers()
    {
        using var folder = new TempFolder();
        var paths = new PlannerPaths(folder.Path);
        var store = new LlmSettingsStore(paths);
        Assert.Equal(new LlmSettings().Backend, store.Current.Backend);
        store.Update(s => s.WithModelSettings("/models/a.gguf", new ModelSettings { ContextSize = 512, Threads = 1, GpuLayers = 3, MaxOutputTokens = 90, Temperature = 0.7 })
            with
            {
                Backend = ChatBackendKind.OpenAiCompatible,
                ActiveModel = "/models/a.gguf",
                Endpoint = new OpenAiEndpointSettings { BaseUrl = "http://127.0.0.1:9/v1", ApiKey = "k", Model = "m", ContextTokens = 4096 },
            });

        var reread = new LlmSettingsStore(paths).Current;
        Assert.Null(new LlmSettingsStore(paths).LoadProblem);
        Assert.Equal(ChatBackendKind.OpenAiCompatible, reread.Backend);
        Assert.Equal("/models/a.gguf", reread.ActiveModel);
        Assert.Equal(new ModelSettings { ContextSize = 512, Threads = 1, GpuLayers = 3, MaxOutputTokens = 90, Temperature = 0.7 }, reread.SettingsFor("/models/a.gguf"));
        Assert.Equal(ModelSettings.Default, reread.SettingsFor("/models/other.gguf"));
        Assert.Equal(store.Current.Endpoint, reread.Endpoint);
        Assert.Equal([LlmSettingsStore.FileName], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void The_api_key_is_stored_encrypted_an_old_plain_one_is_encrypted_on_reading_and_lost_keys_are_reported()
    {
        using var folder = new TempFolder();
        var paths = new PlannerPaths(folder.Path);
        var file = Path.Combine(folder.Path, LlmSettingsStore.FileName);
        new LlmSettingsStore(paths).Update(s => s with { Endpoint = new OpenAiEndpointSettings { BaseUrl = "http://127.0.0.1:9/v1", ApiKey = "sk-live-0123456789", Model = "m" } });
        var stored = File.ReadAllText(file);
        Assert.DoesNotContain("sk-live-0123456789", stored);
        Assert.Contains("\"apiKeyProtected\": \"CfDJ8", stored);
        Assert.Equal("sk-live-0123456789", new LlmSettingsStore(paths).Current.Endpoint.ApiKey);

        // A file from before: the key in plain text, encrypted as soon as it is read.
        File.WriteAllText(file, """{"endpoint": {"baseUrl": "http://127.0.0.1:9/v1", "apiKey": "sk-old-plain", "model": "m"}}""");
        var migrated = new LlmSettingsStore(paths);
        Assert.Equal("sk-old-plain", migrated.Current.Endpoint.ApiKey);
        Assert.DoesNotContain("sk-old-plain", File.ReadAllText(file));
        Assert.Equal("sk-old-plain", new LlmSettingsStore(paths).Current.Endpoint.ApiKey);

        // The keys gone (a copied settings file, a restore elsewhere): the key cannot be read back, the rest can.
        Directory.Delete(Planner.Security.SecretProtector.KeysDirectory(folder.Path), recursive: true);
        var orphaned = new LlmSettingsStore(paths);
        Assert.Null(orphaned.Current.Endpoint.ApiKey);
        Assert.Equal("http://127.0.0.1:9/v1", orphaned.Current.Endpoint.BaseUrl);
        Assert.Equal("The saved API key of the OpenAI-compatible server cannot be decrypted (the data directory's keys folder was replaced or lost); enter the key again.", orphaned.LoadProblem);
    }

    [Fact]
    public void An_unreadable_settings_file_is_reported_and_the_defaults_are_used()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, LlmSettingsStore.FileName), "{ \"backend\": ");
        var store = new LlmSettingsStore(new PlannerPaths(folder.Path));
        Assert.Contains("could not be read", store.LoadProblem);
        Assert.Equal(ChatBackendKind.Local, store.Current.Backend);
    }

    [Fact]
    public void The_runtime_saves_the_chosen_model_and_a_new_runtime_starts_with_it()
    {
        using var folder = new TempFolder();
        var paths = new PlannerPaths(folder.Path);
        using (var runtime = new LanguageModelRuntime(new ModelRegistry([TinyFolder]), new LlmSettingsStore(paths)))
            runtime.Choose(TinyModel.File, new ModelSettings { ContextSize = 256, Threads = 1 });
        using var restarted = new LanguageModelRuntime(new ModelRegistry([TinyFolder]), new LlmSettingsStore(paths));
        Assert.Equal(TinyModel.File, restarted.ActivePath);
        Assert.Equal(1, restarted.Settings.Threads);
    }

    [Fact]
    public void The_provider_returns_the_backend_the_settings_name()
    {
        using var folder = new TempFolder();
        var store = new LlmSettingsStore(new PlannerPaths(folder.Path));
        using var runtime = new LanguageModelRuntime(new ModelRegistry([TinyFolder]), store);
        using var http = new HttpClient();
        var provider = new ChatBackendProvider(runtime, store, http);

        var local = provider.Current(out var problem);
        Assert.Null(problem);
        Assert.Equal(ChatBackendKind.Local, local!.Kind);
        Assert.False(local.NativeToolCalls);
        Assert.IsType<LocalChatCompletionService>(local.Service);
        Assert.Equal(256, local.ContextTokens);

        store.Update(s => s with { Backend = ChatBackendKind.OpenAiCompatible });
        Assert.Null(provider.Current(out problem));
        Assert.Contains("base URL", problem);

        store.Update(s => s with { Endpoint = new OpenAiEndpointSettings { BaseUrl = "http://127.0.0.1:8000/v1", Model = "qwen", ContextTokens = 32768 } });
        var remote = provider.Current(out problem);
        Assert.Null(problem);
        Assert.Equal(ChatBackendKind.OpenAiCompatible, remote!.Kind);
        Assert.True(remote.NativeToolCalls);
        Assert.Equal("qwen", remote.ModelName);
        Assert.Equal(32768, remote.ContextTokens);
        Assert.Same(remote.Service, provider.Current(out _)!.Service);
    }

    [Fact]
    public void With_no_model_the_provider_says_where_to_put_one()
    {
        using var folder = new TempFolder();
        var store = new LlmSettingsStore(new PlannerPaths(folder.Path));
        using var runtime = new LanguageModelRuntime(new ModelRegistry([Path.Combine(folder.Path, "models")]), store);
        using var http = new HttpClient();
        Assert.Null(new ChatBackendProvider(runtime, store, http).Current(out var problem));
        Assert.Contains("drop a GGUF file into", problem);
        Assert.Contains("planner export-model", problem);
    }

    [Fact]
    public void Model_settings_are_checked_against_the_model()
    {
        Assert.Empty(new ModelSettings { ContextSize = 512, Threads = 1 }.Problems(1024));
        Assert.Contains("multiple of 256", new ModelSettings { ContextSize = 300 }.Problems(1024)["ContextSize"]);
        Assert.Contains("1024 tokens", new ModelSettings { ContextSize = 2048 }.Problems(1024)["ContextSize"]);
        Assert.True(new ModelSettings { Threads = Environment.ProcessorCount + 1 }.Problems(1024).ContainsKey("Threads"));
        Assert.True(new ModelSettings { Threads = 0 }.Problems(1024).ContainsKey("Threads"));
        Assert.True(new ModelSettings { MaxOutputTokens = 2000 }.Problems(1024).ContainsKey("MaxOutputTokens"));
        Assert.True(new ModelSettings { Temperature = 3 }.Problems(1024).ContainsKey("Temperature"));
        Assert.True(new ModelSettings { GpuLayers = -1 }.Problems(1024).ContainsKey("GpuLayers"));
    }

    [Fact]
    public void A_custom_native_library_that_does_not_exist_is_a_clear_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir", "libllama.so");
        Assert.Null(LlamaNativeLibrary.Problem(null));
        var error = Assert.Throws<InvalidOperationException>(() => LlamaNativeLibrary.Configure(missing));
        Assert.Contains(LlamaNativeLibrary.ConfigurationKey, error.Message);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void The_bundled_llama_cpp_build_names_its_file_and_its_cpu_features()
    {
        var build = LlamaNativeLibrary.Build;
        Assert.False(build.Custom);
        Assert.False(build.GpuOffload); // the bundled build is CPU-only
        Assert.StartsWith("CPU :", build.Features);
        if (OperatingSystem.IsLinux())
        {
            // One of the CPU variants shipped with the app, chosen by LLamaSharp for this processor.
            Assert.NotNull(build.LibraryFile);
            Assert.Equal("libllama.so", Path.GetFileName(build.LibraryFile));
            Assert.Contains(Path.Combine("runtimes", "linux-x64", "native"), build.LibraryFile);
            Assert.True(File.Exists(build.LibraryFile));
        }
        Assert.Contains("bundled CPU build", build.ToString());
    }
}
