using Planner.Llm;
using Planner.Files;
using Planner.Tests.Persistence;

namespace Planner.Tests.Llm;

public sealed class ChatBackendProviderTests
{
    private static readonly string TinyFolder = Path.GetDirectoryName(TinyModel.File)!;

    [Fact]
    public async Task The_runtime_saves_the_chosen_model_and_a_new_runtime_starts_with_it()
    {
        await using var db = await TempDatabase.CreateAsync(seedSample: false);
        using (var runtime = new LanguageModelRuntime(new ModelRegistry([TinyFolder]), new LlmSettingsStore(db.Factory(), db.Paths)))
            runtime.Choose(TinyModel.File, new ModelSettings { ContextSize = 256, Threads = 1 });
        using var restarted = new LanguageModelRuntime(new ModelRegistry([TinyFolder]), new LlmSettingsStore(db.Factory(), db.Paths));
        Assert.Equal(TinyModel.File, restarted.ActivePath);
        Assert.Equal(1, restarted.Settings.Threads);
    }

    [Fact]
    public async Task The_provider_returns_the_backend_the_settings_name()
    {
        await using var db = await TempDatabase.CreateAsync(seedSample: false);
        var store = new LlmSettingsStore(db.Factory(), db.Paths);
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
        var store = new LlmSettingsStore(Planner.Persistence.PlannerDbContextFactory.ForSqlite(new PlannerPaths(folder.Path).DatabaseFile), new PlannerPaths(folder.Path));
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
        Assert.True(new ModelSettings { Threads = 2, DecodeThreads = 3 }.Problems(1024).ContainsKey("DecodeThreads"));
        Assert.Contains("each request gets (1)", new ModelSettings { Threads = 2, ParallelRequests = 2, DecodeThreads = 2 }.Problems(1024)["DecodeThreads"]);
        Assert.True(new ModelSettings { DecodeThreads = 0 }.Problems(1024).ContainsKey("DecodeThreads"));
        Assert.Empty(new ModelSettings { Threads = 1, DecodeThreads = 1 }.Problems(1024));
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
