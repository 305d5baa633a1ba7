using Planner.Persistence;
using Planner.Web.Components;
using Planner.Web.Services;
using Radzen;

namespace Planner.Web;

/// <summary>The web host's composition: Planner services, Blazor, Radzen, endpoints — Program.cs only calls these.</summary>
public static class WebServices
{
    public const string SeedSampleKey = "Planner:SeedSample";

    public static WebApplicationBuilder AddPlannerWeb(this WebApplicationBuilder builder)
    {
        LoopbackGuard.CheckConfiguredUrls(builder.Configuration);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();
        builder.Services.AddPlannerPersistence(builder.Configuration);
        builder.Services.AddScoped<CurrentWorkspace>();
        return builder;
    }

    public static async Task UsePlannerWebAsync(this WebApplication app)
    {
        await app.Services.GetRequiredService<PlannerDatabase>()
            .InitializeAsync(seedSample: app.Configuration.GetValue(SeedSampleKey, true));
        LoopbackGuard.CheckBoundAddressesOnStart(app);

        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapExportEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
