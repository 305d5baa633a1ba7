using Microsoft.EntityFrameworkCore;
using Planner.Persistence;

namespace Planner.Web;

/// <summary>GET /healthz: 200 "ok" when the database answers, 503 with the reason otherwise (for monitors and tests).</summary>
public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", async (IDbContextFactory<PlannerDbContext> factory, CancellationToken ct) =>
        {
            try
            {
                await using var db = await factory.CreateDbContextAsync(ct);
                var workspaces = await db.Workspaces.CountAsync(ct);
                return Results.Text($"ok: database reachable, {workspaces} workspace{(workspaces == 1 ? "" : "s")}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Results.Text($"unhealthy: {e.GetType().Name}: {e.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).AllowAnonymous(); // monitors probe it without a session; it says nothing beyond "up" and a count
    }
}
