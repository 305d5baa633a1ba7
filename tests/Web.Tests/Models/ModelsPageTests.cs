using Microsoft.Extensions.DependencyInjection;
using Planner.Llm;
using Planner.Web.Components.Pages.Models;
using Planner.Files;
using Planner.Persistence;

namespace Planner.Web.Tests.Models;

public sealed class ModelsPageTests : SampleStoreContext
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "planner-web-models", Guid.NewGuid().ToString("N"));
    private readonly LlmSettingsStore settings;
    private readonly LanguageModelRuntime runtime;
    private readonly Hosting.Hub.ModelDownloads downloads;
    private readonly ModelRecords records;

    public ModelsPageTests()
    {
        Directory.CreateDirectory(Path.Combine(folder, "models"));
        var registry = new ModelRegistry([Path.Combine(folder, "models")]);
        // The settings and the hub token live in a database of their own beside the sample store's.
        var factory = PlannerDbContextFactory.ForSqlite(new PlannerPaths(folder).DatabaseFile);
        new PlannerDatabase(factory, new RoadmapStore(factory, TimeProvider.System)).InitializeAsync(seedSample: false).GetAwaiter().GetResult();
        settings = new LlmSettingsStore(factory, new PlannerPaths(folder));
        runtime = new LanguageModelRuntime(registry, settings);
        Services.AddSingleton(registry);
        Services.AddSingleton(settings);
        Services.AddSingleton(runtime);
        Services.AddSingleton(new ChatBackendProvider(runtime, settings, OpenAiCompatibilityHandler.CreateClient()));
        downloads = new Hosting.Hub.ModelDownloads(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(),
            new PlannerPaths(folder) { ModelsDirectory = Path.Combine(folder, "models") }, new Hosting.Hub.HubTokenStore(factory, new PlannerPaths(folder)));
        Services.AddSingleton(downloads);
        records = new ModelRecords(new PlannerPaths(folder));
        Services.AddSingleton(new Planner.Assistant.Chat.ToolCallCheck(Planner.Assistant.PromptLibrary.Load(Planner.Assistant.PromptLibrary.DefaultFolder), records));
        // The starter-model offer inside the page has its own tests (TrainingPageTests); here it is a stub.
        ComponentFactories.AddStub<Planner.Web.Components.Shared.StarterModelOffer>();
    }

    /// <summary>A real GGUF (random weights, 512-token context) from the Engine's export.</summary>
    private string AddModel(string name, int context = 512) => TinyModel.Write(Path.Combine(folder, "models", name), name, context, seed: 3);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        runtime.Dispose();
        downloads.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void One_click_makes_a_model_active_and_the_choice_is_saved()
    {
        AddModel("a.gguf");
        var second = AddModel("b.gguf");
        var page = Render<ModelsPage>();
        Assert.NotNull(page.Find("tr[data-model='a.gguf'] .badge"));

        page.Find("tr[data-model='b.gguf'] button.use-model").Click();

        Assert.Equal(second, settings.Current.ActiveModel);
        Assert.Equal(second, runtime.ActivePath);
        Assert.Contains("active", page.Find("tr[data-model='b.gguf']").TextContent);
        Assert.NotEmpty(page.FindAll("tr[data-model='a.gguf'] button.use-model"));
        Assert.Contains("b.gguf", page.Find("[data-testid=model-settings] h3").TextContent);
    }

    [Fact]
    public void The_picker_on_chat_and_draft_switches_between_local_models_and_the_configured_server()
    {
        var first = AddModel("a.gguf");
        var second = AddModel("b.gguf");
        File.WriteAllBytes(Path.Combine(folder, "models", "broken.gguf"), [1, 2, 3]); // listed on the Models page, not offered here
        settings.Update(s => s with { Endpoint = new OpenAiEndpointSettings { BaseUrl = "http://127.0.0.1:9/v1", Model = "qwen-7b" } });
        var changes = 0;
        var picker = Render<Planner.Web.Components.Shared.ModelPicker>(p => p.Add(c => c.Changed, () => changes++));

        var options = picker.FindAll("#model-choice option").Select(o => (o.GetAttribute("value"), o.TextContent)).ToList();
        Assert.Equal([(first, "a.gguf"), (second, "b.gguf"), ("remote", "qwen-7b (OpenAI-compatible, 127.0.0.1:9)")], options);
        Assert.Equal(first, picker.Find("#model-choice").GetAttribute("value")); // the first usable one is active by default

        picker.Find("#model-choice").Change(second);
        Assert.Equal((second, second, ChatBackendKind.Local, 1), (runtime.ActivePath, settings.Current.ActiveModel, settings.Current.Backend, changes));

        Assert.Equal("Now using b.gguf.", picker.Find("[data-testid=model-chosen]").TextContent);
        picker.Find("#model-choice").Change("remote");
        Assert.Equal((ChatBackendKind.OpenAiCompatible, 2), (settings.Current.Backend, changes));
        Assert.Equal("remote", picker.Find("#model-choice").GetAttribute("value"));

        picker.Find("#model-choice").Change(first);
        Assert.Equal((first, ChatBackendKind.Local), (runtime.ActivePath, settings.Current.Backend));

        picker.Render(p => p.Add(c => c.Disabled, true)); // while the page generates
        Assert.True(picker.Find("#model-choice").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_loaded_model_shows_which_llama_cpp_build_runs_it()
    {
        runtime.Choose(AddModel("a.gguf"), ModelSettings.Default with { Threads = 2 }); // two counts to measure between
        var page = Render<ModelsPage>();
        Assert.Empty(page.FindAll("[data-testid=llama-build]")); // not asked before a model is loaded

        await runtime.MeasureAsync("loads the model");
        page.Render();

        Assert.Contains("Loaded: a.gguf", page.Find("[data-testid=load-state]").TextContent);
        Assert.Equal($"Decoding on {runtime.LoadedDecodeThreads}.", page.Find("[data-testid=decode-threads]").TextContent);
        Assert.Contains("measured at load", page.Find("[data-testid=decode-threads]").TextContent);
        var build = page.Find("[data-testid=llama-build]").TextContent;
        Assert.Contains("bundled CPU build", build);
        Assert.Contains("no GPU offload", build);
        Assert.Contains("CPU :", build);
    }

    [Fact]
    public void A_model_that_will_not_fit_in_memory_with_its_context_is_warned_about_with_the_estimate()
    {
        var file = AddModel("a.gguf");
        runtime.Choose(file, ModelSettings.Default);
        var info = GgufReader.Read(file);
        var need = ModelMemory.NeedBytes(info, 512)!.Value;

        var tight = Render<LocalModels>(p => p.Add(c => c.Settings, settings.Current).Add(c => c.AvailableMemory, need - 1));
        var warning = tight.Find("[data-testid=memory-warning]").TextContent;
        Assert.Contains("a.gguf may not fit in memory with a context of 512 tokens", warning);
        Assert.Contains($"it needs about {ModelMemory.Size(need)}", warning);
        Assert.Contains("key/value cache", warning);
        Assert.Contains("at 512 tokens", tight.Find("tr[data-model='a.gguf'] [data-testid=model-memory]").TextContent);

        var roomy = Render<LocalModels>(p => p.Add(c => c.Settings, settings.Current).Add(c => c.AvailableMemory, need));
        Assert.Empty(roomy.FindAll("[data-testid=memory-warning]"));
    }

    [Fact]
    public void The_page_shows_what_was_measured_per_model_and_recommends_one_for_chat_and_one_for_drafting()
    {
        var weak = AddModel("weak.gguf", context: 256);
        var able = AddModel("able.gguf", context: 1024);
        runtime.Choose(weak, ModelSettings.Default);
        records.Update(weak, r => r with { CallsTools = false, ToolCallsPassed = 1, ToolCallsTotal = 5, TokensPerSecond = 950 });
        records.Update(able, r => r with { CallsTools = true, ToolCallsPassed = 5, ToolCallsTotal = 5, TokensPerSecond = 40 });

        var page = Render<LocalModels>(p => p.Add(c => c.Settings, settings.Current).Add(c => c.AvailableMemory, 1L << 40));

        var advice = page.FindAll("[data-testid=model-advice] li").Select(li => li.TextContent).ToList();
        Assert.Equal("Chat and what-ifs: able.gguf (40 tokens/s here, context 1024) — it calls the planner's tools.", advice[0]);
        Assert.Equal("Drafting: able.gguf (40 tokens/s here, context 1024).", advice[1]);
        var measured = page.Find("tr[data-model='weak.gguf'] [data-testid=model-measured]").TextContent;
        Assert.Contains("950 tokens/s", measured);
        Assert.Contains("This model can't call tools reliably (it made 1 of 5 test calls right)", measured);
        Assert.Contains("calls tools (5/5)", page.Find("tr[data-model='able.gguf'] [data-testid=model-measured]").TextContent);
    }

    [Fact]
    public void A_bad_context_size_is_explained_next_to_the_field_and_cannot_be_saved()
    {
        AddModel("a.gguf");
        var page = Render<ModelsPage>();

        page.Find("#ms-context").Change("300");
        Assert.Contains("multiple of 256", page.Find("[data-field=ContextSize]").TextContent);
        Assert.True(page.Find("#save-model-settings").HasAttribute("disabled"));

        page.Find("#ms-context").Change("1024");
        Assert.Contains("cannot exceed the 512 tokens", page.Find("[data-field=ContextSize]").TextContent);

        page.Find("#ms-context").Change("256");
        page.Find("#ms-parallel").Change("9");
        Assert.Contains("Parallel requests must be between 1 and 8", page.Find("[data-field=ParallelRequests]").TextContent);
        page.Find("#ms-parallel").Change("2");
        page.Find("#ms-threads").Change("1");
        Assert.Empty(page.FindAll("[data-field]"));
        page.Find("[data-testid=model-settings]").Submit();
        Assert.Equal(256, settings.Current.SettingsFor(settings.Current.ActiveModel ?? runtime.Active(out _)!.Path).ContextSize);
        Assert.Equal((256, 2), (runtime.Settings.ContextSize, runtime.Settings.ParallelRequests));
    }

    [Fact]
    public void Decode_threads_are_measured_unless_the_founder_sets_a_count_each_request_can_have()
    {
        AddModel("a.gguf");
        var page = Render<ModelsPage>();
        Assert.Equal("", page.Find("#ms-decode-threads").GetAttribute("value"));

        page.Find("#ms-threads").Change("2");
        page.Find("#ms-decode-threads").Change("two");
        Assert.Contains("Give a whole number", page.Find("[data-field=DecodeThreads]").TextContent);
        page.Find("#ms-decode-threads").Change("3");
        Assert.Contains("between 1 and the threads each request gets (2)", page.Find("[data-field=DecodeThreads]").TextContent);
        Assert.True(page.Find("#save-model-settings").HasAttribute("disabled"));

        page.Find("#ms-decode-threads").Change("1");
        page.Find("[data-testid=model-settings]").Submit();
        Assert.Equal((2, 1), (runtime.Settings.Threads, runtime.Settings.DecodeThreads));

        page.Find("#ms-decode-threads").Change(" ");
        page.Find("[data-testid=model-settings]").Submit();
        Assert.Null(runtime.Settings.DecodeThreads); // empty: measured at load again
        Assert.Null(settings.Current.SettingsFor(runtime.ActivePath).DecodeThreads);
    }

    [Fact]
    public void With_no_model_the_page_shows_the_way_forward()
    {
        var page = Render<ModelsPage>();
        Assert.Contains("planner export-model", page.Find("[data-testid=no-models]").TextContent);
        Assert.Contains("drop a GGUF file", page.Find("[data-testid=backend-status]").TextContent);
    }

    [Fact]
    public void The_saved_api_key_is_never_rendered_and_an_empty_key_field_keeps_it()
    {
        settings.Update(s => s with { Endpoint = new OpenAiEndpointSettings { BaseUrl = "http://127.0.0.1:1/v1", Model = "qwen", ApiKey = "sk-very-secret-42" } });
        var page = Render<ModelsPage>();
        Assert.DoesNotContain("sk-very-secret-42", page.Markup);
        Assert.Contains("saved", page.Find("#ep-key").GetAttribute("placeholder"));

        page.Find("#ep-model").Change("llama3");
        page.Find("[data-testid=endpoint]").Submit();
        Assert.Equal("llama3", settings.Current.Endpoint.Model);
        Assert.Equal("sk-very-secret-42", settings.Current.Endpoint.ApiKey);
        Assert.DoesNotContain("sk-very-secret-42", page.Markup);
    }

    [Fact]
    public void Test_connection_checks_the_fields_then_reports_an_unreachable_server()
    {
        var page = Render<ModelsPage>();
        page.Find("#ep-url").Change("not a url");
        page.Find("#ep-model").Change("qwen");
        page.Find("#test-endpoint").Click();
        Assert.Contains("base URL", page.Find("#ep-url + .invalid-feedback").TextContent);
        Assert.Empty(page.FindAll("[data-testid=endpoint-result]"));

        page.Find("#ep-url").Change("http://127.0.0.1:1/v1");
        page.Find("#test-endpoint").Click();
        page.WaitForAssertion(() => Assert.Contains("could not be reached", page.Find("[data-testid=endpoint-result]").TextContent), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void The_hub_token_is_saved_encrypted_and_never_rendered_back()
    {
        var page = Render<ModelsPage>();
        Assert.Equal(Hosting.Hub.RecommendedModel.All.Count, page.FindAll("[data-recommended]").Count);

        page.Find("#hub-token").Change("hf_secret_value");
        page.Find("#hub-token-save").Click();

        Assert.Equal("hf_secret_value", downloads.Tokens.Read());
        Assert.DoesNotContain("hf_secret_value", page.Markup, StringComparison.Ordinal);
        Assert.Equal("saved (type to replace)", page.Find("#hub-token").GetAttribute("placeholder"));
        page.Find("#hub-token-clear").Click();
        Assert.Null(downloads.Tokens.Read());
    }

    [Fact]
    public void A_repository_id_that_is_not_one_is_explained_without_asking_the_hub()
    {
        var page = Render<ModelsPage>();
        page.Find("#hub-repo").Change("not a repo");
        page.Find("#hub-list").Click();

        page.WaitForAssertion(() => Assert.Contains("is not a model repository id", page.Find("[data-testid=hub-message]").TextContent, StringComparison.Ordinal));
    }
}
