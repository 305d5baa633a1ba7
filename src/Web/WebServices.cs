using Microsoft.AspNetCore.DataProtection;
using Planner.Engine.Native;
using Planner.Files;
using Planner.Hosting;
using Planner.Hosting.Native;
using Planner.Llm;
using Planner.Persistence;
using Planner.Scenarios;
using Planner.Web.Access;
using Planner.Web.Api;
using Planner.Web.Mcp;
using Planner.Web.Components;
using Planner.Web.Services;
using Planner.Web.Telemetry;
using Radzen;

namespace Planner.Web;

/// <summary>The web host's composition: Planner services, Blazor, Radzen, endpoints — Program.cs only calls these.</summary>
public static class WebServices
{
    public const string SeedSampleKey = "Planner:SeedSample";

    public static WebApplicationBuilder AddPlannerWeb(this WebApplicationBuilder builder)
    {
        LoopbackGuard.CheckConfiguredUrls(builder.Configuration);
        WebAccess.ProductionWhenExposed(builder);
        PrivateFiles.Apply(PlannerPaths.From(builder.Configuration).DataDirectory);
        SqliteInstanceLock.Take(builder);
        // MKL settles its kernels at the first multiply: the Engine's native set-up comes before anything can run one.
        try
        {
            builder.Services.AddSingleton(EngineNativeSetup.Apply(builder.Configuration, trainingProcess: true));
        }
        catch (ArgumentException e)
        {
            throw new StartupRefusal(e.Message);
        }
        builder.AddPlannerLogin();
        builder.AddPlannerApi();
        builder.AddPlannerMcp();
        builder.AddPlannerTelemetry();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(o => o.MaximumReceiveMessageSize = TextLimits.HubMessageBytes); // see TextLimits
        builder.Services.AddRadzenComponents();
        builder.Services.AddPlannerPersistence(builder.Configuration);
        builder.Services.AddPlannerHealthChecks();
        // Antiforgery and circuit keys live with the data, so restarts keep working forms and no key is written elsewhere.
        builder.Services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(PlannerPaths.From(builder.Configuration).DataDirectory, "keys")))
            .SetApplicationName("Planner");
        builder.Services.AddScoped<CurrentWorkspace>();
        builder.Services.AddSingleton<Planner.Backup.WorkspaceRemoval>();
        // Prompts are loaded now, so a broken template stops start-up with its file name.
        builder.Services.AddSingleton(Planner.Assistant.PromptLibrary.Load(Planner.Assistant.PromptLibrary.DefaultFolder));
        builder.Services.AddPlannerLlm(builder.Configuration);
        builder.Services.AddSingleton<Planner.Assistant.DocumentAnswerer>();
        builder.Services.AddSingleton<Planner.Assistant.Labelling.ZeroShotLabeller>();
        builder.Services.AddSingleton<Planner.Assistant.Labelling.ThemeNamer>();
        builder.Services.AddPlannerPlanning();
        builder.Services.AddSingleton<Planner.Sharing.RoadmapShare>();
        builder.Services.AddSingleton(sp => new Planner.Assistant.Drafting.RoadmapDrafter(
            sp.GetRequiredService<Planner.Assistant.PromptLibrary>(), sp.GetRequiredService<ScenarioRunner>(), sp.GetRequiredService<DocumentLibrary>().Search));
        builder.Services.AddSingleton<Planner.Assistant.Chat.ChatHistoryStore>();
        builder.Services.AddSingleton<Planner.Assistant.Chat.ToolCallCheck>();
        builder.Services.AddSingleton<Planner.Assistant.Chat.ChatAssistant>();
        builder.Services.AddPlannerTraining();
        return builder;
    }

    /// <summary>The sample company's documents and reviews go into the library with its roadmap, on first run only.</summary>
    private static async Task SeedSampleDocumentsAsync(DocumentLibrary library)
    {
        var folder = Path.GetDirectoryName(PlannerDatabase.SampleRoadmapPath)!;
        var files = Directory.GetFiles(Path.Combine(folder, "docs"), "*.md").Order(StringComparer.Ordinal).Append(Path.Combine(folder, "reviews.csv"));
        foreach (var file in files)
        {
            var added = await library.AddAsync(Path.GetFileName(file), await File.ReadAllBytesAsync(file), file.EndsWith(".csv", StringComparison.Ordinal) ? "text" : null);
            if (!added.Ok) throw new InvalidOperationException($"The bundled sample document is invalid: {added.Error}");
        }
    }

    public static async Task UsePlannerWebAsync(this WebApplication app)
    {
        var seeded = await app.Services.GetRequiredService<PlannerDatabase>()
            .InitializeAsync(seedSample: app.Configuration.GetValue(SeedSampleKey, true));
        if (seeded) await SeedSampleDocumentsAsync(app.Services.GetRequiredService<DocumentLibrary>());
        LoopbackGuard.CheckBoundAddressesOnStart(app);
        app.Logger.LogInformation("Engine native set-up: {Engine}", app.Services.GetRequiredService<EngineNativeStatus>().Describe());

        app.UseProxyHeaders();
        app.UseMiddleware<RequestOriginGuard>();
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseSecurityHeaders();
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UsePlannerLogin();
        app.UseAntiforgery();
        // Stylesheets and scripts are the same for everyone; the login page needs them before anyone signs in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapExportEndpoints();
        app.MapShareLinkEndpoints();
        app.MapPlannerApi();
        app.MapPlannerMcp();
        app.MapHealthEndpoints();
        app.MapLogoutEndpoint();
        // Blazor adds its own frame-ancestors policy for interactive pages; make it agree with ours.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = "'none'");
    }
}
