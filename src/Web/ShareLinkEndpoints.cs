using Planner.Persistence;
using Planner.Sharing;

namespace Planner.Web;

/// <summary>GET /s/{token}: the one-page roadmap as self-contained HTML for whoever holds a share link, without signing
/// in even when the app asks for a login. The token opens this page only (nothing else reads it), sets no cookie, and
/// is looked up on every request, so a revoked link answers 404 at once on every instance. Requests are limited per
/// client address (<see cref="RequestsPerMinute"/>); the plan behind the page is solved once per saved roadmap
/// (<see cref="RoadmapShare"/>).</summary>
public static class ShareLinkEndpoints
{
    /// <summary>The rate limiter's policy for share links.</summary>
    public const string RateLimitPolicy = "share-links";

    /// <summary>Share-link requests one client address may make in a minute; more are answered 429.</summary>
    public const int RequestsPerMinute = 60;

    /// <summary>Marks the share-link endpoint for the rate limiter's message.</summary>
    public sealed class Marker;

    public static void MapShareLinkEndpoints(this WebApplication app)
    {
        app.MapGet(ShareLinkStore.PathPrefix + "{token}", async (string token, HttpContext context, ShareLinkStore links, RoadmapShare share, CancellationToken ct) =>
        {
            var headers = context.Response.Headers;
            headers.CacheControl = "no-store";
            headers["X-Robots-Tag"] = "noindex, nofollow";
            // A body of its own keeps the status-code pages (which render the app's not-found page) out of it.
            var notFound = Results.Text("There is no such share link, or it was revoked.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
            if (await links.ResolveAsync(token, ct) is not { } workspace) return notFound;
            var shared = await share.MakeAsync(ShareFormat.Html, workspace, ct: ct);
            return shared is null ? notFound : Results.Bytes(shared.Content, shared.ContentType);
        }).AllowAnonymous().RequireRateLimiting(RateLimitPolicy).WithMetadata(new Marker());
    }
}
