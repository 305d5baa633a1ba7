using System.Data.Common;

namespace Planner.Web.Api;

/// <summary>The database going away under an API request (PostgreSQL stopped, its connections ended, the network
/// gone): a 503 that says so instead of a 500 with a stack. EF Core saves each request's changes in one transaction,
/// so a request that failed on the database left nothing of itself behind.</summary>
public static class DatabaseOutage
{
    public const string Message = "The database cannot be reached right now, so nothing was saved; try again once it is back.";

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) is the database's transient failure — an ended
    /// or refused connection, a server shutting down — rather than a bad request or a bug.</summary>
    public static bool IsOutage(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is DbException { IsTransient: true }) return true;
        return false;
    }

    public static void UseApiDatabaseOutage(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }
        try
        {
            await next(context);
        }
        catch (Exception e) when (IsOutage(e) && !context.Response.HasStarted)
        {
            app.Logger.LogWarning(e, "Database unreachable during {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await Results.Problem(Message, statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
        }
    });
}
