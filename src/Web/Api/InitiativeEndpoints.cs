using System.Globalization;
using Planner.Interchange;
using Planner.Persistence;
using Planner.Roadmaps;

namespace Planner.Web.Api;

/// <summary>/api/v1/workspaces/{workspace}/initiatives: read, create, update and delete one initiative, in the roadmap
/// file's own shape (<see cref="InitiativeDocument"/>). Each initiative's ETag is its version; an update or delete must
/// send it in If-Match and is refused with 412 when someone changed the initiative since — nothing is written.</summary>
public static class InitiativeEndpoints
{
    public static void MapInitiativeEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/workspaces/{workspace}/initiatives").WithTags("Initiatives");

        group.MapGet("/", async (string workspace, HttpContext context, RoadmapStore store, CancellationToken ct) =>
        {
            var (ws, problem) = await ApiResults.LoadAsync(context.User, store, workspace, ct);
            if (problem is not null) return problem;
            return Results.Ok(RoadmapMapper.ToDocument(ws!).Initiatives ?? []);
        }).WithName("ListInitiatives").WithSummary("Every initiative of the workspace, in the roadmap file's shape.")
            .Produces<List<InitiativeDocument>>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}", async (string workspace, string id, HttpContext context, RoadmapStore store, CancellationToken ct) =>
        {
            var (ws, problem) = await ApiResults.LoadAsync(context.User, store, workspace, ct);
            if (problem is not null) return problem;
            if (ws!.FindInitiative(id) is not { } item) return ApiResults.NotFound($"The workspace '{workspace}' has no initiative '{id}'.");
            ApiResults.SetTag(context, Version(item));
            return Results.Ok(Document(ws, id));
        }).WithName("GetInitiative").WithSummary("One initiative; its ETag is the version to send in If-Match when changing it.")
            .Produces<InitiativeDocument>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async (string workspace, InitiativeDocument body, HttpContext context, RoadmapStore store, InitiativeStore initiatives, CancellationToken ct) =>
        {
            var (ws, problem) = await ApiResults.LoadAsync(context.User, store, workspace, ct);
            if (problem is not null) return problem;
            if (string.IsNullOrWhiteSpace(body.Id)) return ApiResults.Invalid("The initiative was not added", [(null, "id", "An initiative needs an id.")]);
            if (ws!.FindInitiative(body.Id.Trim()) is { } taken)
                return Results.Problem($"The id '{taken.Key}' is already used by '{taken.Title}'.", statusCode: StatusCodes.Status409Conflict);
            var (item, invalid) = Map(ws, body, replacing: null);
            if (invalid is not null) return invalid;
            var saved = await initiatives.AddInitiativeAsync(workspace, item!, ct);
            if (!saved.Ok) return Refused(saved, "The initiative was not added");
            ApiResults.SetTag(context, "1");
            return Results.Created($"/api/v1/workspaces/{Uri.EscapeDataString(workspace)}/initiatives/{Uri.EscapeDataString(item!.Key)}", Document(item, ws!));
        }).WithName("CreateInitiative").WithSummary("Adds an initiative, validated against the whole roadmap as in the editor.")
            .Produces<InitiativeDocument>(StatusCodes.Status201Created).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/{id}", async (string workspace, string id, InitiativeDocument body, HttpContext context, RoadmapStore store, InitiativeStore initiatives, CancellationToken ct) =>
        {
            var (ws, problem) = await ApiResults.LoadAsync(context.User, store, workspace, ct);
            if (problem is not null) return problem;
            if (ApiResults.IfMatch(context.Request) is not { } tag) return ApiResults.IfMatchRequired("initiative");
            if (ws!.FindInitiative(id) is not { } current) return ApiResults.NotFound($"The workspace '{workspace}' has no initiative '{id}'.");
            if (body.Id is { } bodyId && bodyId.Trim() != id)
                return ApiResults.Invalid("The initiative was not saved", [(id, "id", $"The body's id '{bodyId}' is not the id in the address ('{id}'); ids cannot be changed.")]);
            body.Id = id;
            if (!int.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version != current.Version)
                return ApiResults.Stale($"'{current.Title}' was changed after you read it (it is now version {current.Version}); nothing was saved. GET it again.");
            var (item, invalid) = Map(ws, body, replacing: id);
            if (invalid is not null) return invalid;
            item!.Version = version;
            var saved = await initiatives.UpdateInitiativeAsync(workspace, item, ct);
            if (!saved.Ok) return Refused(saved, "The initiative was not saved");
            ApiResults.SetTag(context, Version(item));
            return Results.Ok(Document(item, ws));
        }).WithName("UpdateInitiative").WithSummary("Replaces an initiative's fields; If-Match must carry the version you read.")
            .Produces<InitiativeDocument>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{id}", async (string workspace, string id, HttpContext context, RoadmapStore store, InitiativeStore initiatives, CancellationToken ct) =>
        {
            var (ws, problem) = await ApiResults.LoadAsync(context.User, store, workspace, ct);
            if (problem is not null) return problem;
            if (ApiResults.IfMatch(context.Request) is not { } tag) return ApiResults.IfMatchRequired("initiative");
            if (ws!.FindInitiative(id) is not { } current) return ApiResults.NotFound($"The workspace '{workspace}' has no initiative '{id}'.");
            if (!int.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version != current.Version)
                return ApiResults.Stale($"'{current.Title}' was changed after you read it (it is now version {current.Version}); nothing was deleted. GET it again.");
            var saved = await initiatives.DeleteInitiativeAsync(workspace, id, version, ct);
            return saved.Ok ? Results.NoContent() : Refused(saved, "The initiative was not deleted");
        }).WithName("DeleteInitiative").WithSummary("Deletes an initiative; If-Match must carry the version you read.")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static string Version(Initiative item) => item.Version.ToString(CultureInfo.InvariantCulture);

    private static InitiativeDocument Document(Workspace ws, string key) =>
        RoadmapMapper.ToDocument(ws).Initiatives!.First(i => i.Id == key);

    private static InitiativeDocument Document(Initiative item, Workspace ws)
    {
        var copy = ws.Clone();
        copy.Initiatives = [item];
        return RoadmapMapper.ToDocument(copy).Initiatives![0];
    }

    /// <summary>The body read by the roadmap file's own mapper, in the context of the saved roadmap (so its dependencies
    /// and teams resolve): the same rules as an import, and then the editor's (the store validates the whole roadmap).</summary>
    private static (Initiative? Item, IResult? Problem) Map(Workspace ws, InitiativeDocument body, string? replacing)
    {
        var document = RoadmapMapper.ToDocument(ws);
        var list = document.Initiatives ?? [];
        if (replacing is null) list.Add(body);
        else list[list.FindIndex(i => i.Id == replacing)] = body;
        document.Initiatives = list;
        var (mapped, problems) = RoadmapMapper.ToWorkspace(document);
        if (problems.Count > 0) return (null, ApiResults.Invalid("The initiative is not valid", problems));
        return (mapped.FindInitiative(body.Id!.Trim()), null);
    }

    private static IResult Refused(SaveResult saved, string title) =>
        saved.Conflict ? ApiResults.Stale(saved.Message) : ApiResults.Invalid(title, saved.Problems);
}
