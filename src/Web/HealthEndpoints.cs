using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Planner.Llm;
using Planner.Persistence;
using Planner.Engine.Native;
using Planner.Hosting.Training;

namespace Planner.Web;

/// <summary>GET /healthz: 200 "ok: …" when the database answers, 503 with the reason otherwise (for monitors and
/// tests). One line also says which model would serve and whether it is loaded, what training is doing, and how the
/// Engine's native side was set up (MKL's kernels, threads, training heap). Beside it, for orchestrators, ASP.NET Core
/// health checks: GET /healthz/live is 200 while the process serves requests (no check runs), GET /healthz/ready is
/// 200 when the database can be connected to and 503 when it cannot.</summary>
public static class HealthEndpoints
{
    public const string LivePath = "/healthz/live";
    public const string ReadyPath = "/healthz/ready";
    private const string ReadyTag = "ready";

    /// <summary>The readiness check: EF Core's database check over a context from Planner's factory (one per check).</summary>
    public static IServiceCollection AddPlannerHealthChecks(this IServiceCollection services)
    {
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PlannerDbContext>>().CreateDbContext());
        services.AddHealthChecks().AddDbContextCheck<PlannerDbContext>("database", tags: [ReadyTag]);
        return services;
    }

    public static void MapHealthEndpoints(this WebApplication app)
    {
        // Monitors probe these without a session; they name no content, only a status.
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
        app.MapGet("/healthz", async (IDbContextFactory<PlannerDbContext> factory, LanguageModelRuntime runtime, TrainingJobs training,
            EngineNativeStatus engine, CancellationToken ct) =>
        {
            try
            {
                await using var db = await factory.CreateDbContextAsync(ct);
                var workspaces = await db.Workspaces.CountAsync(ct);
                return Results.Text($"ok: database reachable, {workspaces} workspace{(workspaces == 1 ? "" : "s")}; {Model(runtime)}; {Training(training)}; engine: {engine.Summary()}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Results.Text($"unhealthy: {e.GetType().Name}: {e.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).AllowAnonymous(); // monitors probe it without a session; it names no content, only states and counts
    }

    internal static string Model(LanguageModelRuntime runtime)
    {
        if (runtime.LoadedPath is { } loaded) return $"model {Path.GetFileName(loaded)} loaded, {runtime.Waiting} waiting";
        if (runtime.Loading) return $"model loading, {runtime.Waiting} waiting";
        return runtime.Active(out _) is { } entry ? $"model {Path.GetFileName(entry.Path)} not loaded" : "no model";
    }

    internal static string Training(TrainingJobs training)
    {
        var jobs = training.All;
        var running = jobs.Count(j => j.Status == TrainingJobStatus.Running);
        var queued = jobs.Count(j => j.Status == TrainingJobStatus.Queued);
        return running + queued == 0 ? "training idle" : $"training {running} running, {queued} queued";
    }
}
