using System.Security.Claims;
using Planner.Interchange;
using Planner.Persistence;
using Planner.Roadmaps;

namespace Planner.Web.Api;

/// <summary>What the API's endpoints share: loading the workspace a caller may see, entity tags, and Problem Details
/// for the outcomes a caller can cause (RFC 9457).</summary>
public static class ApiResults
{
    /// <summary>The workspace, or the problem that says why not (404 unknown, 403 another workspace's token).</summary>
    public static async Task<(Workspace? Workspace, IResult? Problem)> LoadAsync(ClaimsPrincipal user, RoadmapStore store, string name, CancellationToken ct)
    {
        if (!ApiTokenAuthentication.MayUse(user, name))
            return (null, Results.Problem($"This token is for the workspace '{ApiTokenAuthentication.OnlyWorkspace(user)}' only.", statusCode: StatusCodes.Status403Forbidden));
        var workspace = await store.LoadAsync(name, ct);
        return workspace is null ? (null, NotFound($"There is no workspace named '{name}'.")) : (workspace, null);
    }

    public static IResult NotFound(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    /// <summary>422 with every problem, keyed by the field (or item) it concerns.</summary>
    public static IResult Invalid(string title, IEnumerable<(string? Item, string? Field, string Message)> problems)
    {
        var errors = problems.GroupBy(p => string.Join(".", new[] { p.Item, p.Field }.Where(s => !string.IsNullOrEmpty(s))) is { Length: > 0 } key ? key : "roadmap")
            .ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray());
        return Results.ValidationProblem(errors, title: title, statusCode: StatusCodes.Status422UnprocessableEntity);
    }

    public static IResult Invalid(string title, IEnumerable<RoadmapProblem> problems) => Invalid(title, problems.Select(p => (p.Item, p.Field, p.Message)));

    public static IResult Invalid(string title, IEnumerable<ImportProblem> problems) =>
        Invalid(title, problems.Select(p => (p.Item, p.Row is { } row ? $"row {row}" + (p.Column is null ? "" : "." + p.Column) : p.Column, p.Message)));

    /// <summary>412: the caller's copy is stale; nothing was changed.</summary>
    public static IResult Stale(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed since you read it");

    /// <summary>428: a change to something that has a version must say which version it was made from.</summary>
    public static IResult IfMatchRequired(string what) => Results.Problem(
        $"Send If-Match with the ETag of the {what} you read (GET it first), so a newer change is never overwritten.",
        statusCode: StatusCodes.Status428PreconditionRequired);

    public static string Tag(string value) => "\"" + value + "\"";

    /// <summary>The first tag of If-Match without quotes or a weak marker; null when absent.</summary>
    public static string? IfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Split(',')[0].Trim();
        if (header.Length == 0) return null;
        if (header.StartsWith("W/", StringComparison.Ordinal)) header = header[2..];
        return header.Trim('"');
    }

    public static void SetTag(HttpContext context, string value) => context.Response.Headers.ETag = Tag(value);
}
