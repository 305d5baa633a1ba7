namespace Planner.Web.Access;

/// <summary>Whether visitors must sign in: only when the app may be reached from other machines
/// (<c>Planner:AllowRemoteAccess=true</c>). On 127.0.0.1 the machine's own login is the boundary.</summary>
public sealed record WebAccess(bool LoginRequired)
{
    public static WebAccess From(IConfiguration configuration) => new(configuration.GetValue(LoopbackGuard.AllowRemoteKey, false));

    /// <summary>An exposed app never shows the developer exception page (stack traces, code, configuration) or
    /// detailed circuit errors, whatever ASPNETCORE_ENVIRONMENT says: it runs as Production.</summary>
    public static void ProductionWhenExposed(WebApplicationBuilder builder)
    {
        if (!From(builder.Configuration).LoginRequired || builder.Environment.IsProduction()) return;
        // Development serves the packages' static files (Radzen's scripts and styles) from the build's manifest; a
        // build that is not published still needs them.
        if (builder.Environment.IsDevelopment()) builder.WebHost.UseStaticWebAssets();
        builder.Environment.EnvironmentName = Environments.Production;
    }
}
