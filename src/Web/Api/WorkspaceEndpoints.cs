using Planner.Interchange;
using Planner.Persistence;
using Planner.Scheduling;
using Planner.Web.Api.Contracts;

namespace Planner.Web.Api;

/// <summary>Workspaces and whole roadmaps: list, read (ETag: the roadmap's fingerprint), create, replace (If-Match),
/// import and export through the same path as the pages and the CLI (<see cref="RoadmapTransfer"/>), and search of the
/// document library.</summary>
public static class WorkspaceEndpoints
{
    public static void MapWorkspaceEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/workspaces").WithTags("Workspaces");

        group.MapGet("/", async (HttpContext context, RoadmapStore store, CancellationToken ct) =>
        {
            var list = new List<WorkspaceSummary>();
            foreach (var name in await store.WorkspaceNamesAsync(ct))
            {
                if (!ApiTokenAuthentication.MayUse(context.User, name) || await store.LoadAsync(name, ct) is not { } ws) continue;
                list.Add(new WorkspaceSummary(ws.Name, ws.CompanyName, ws.PlanningStart, ws.Initiatives.Count, ws.Teams.Count));
            }
            return Results.Ok(list);
        }).WithName("ListWorkspaces").WithSummary("The workspaces this token may use.").Produces<List<WorkspaceSummary>>();

        group.MapGet("/{workspace}", async (string workspace, HttpContext context, RoadmapStore store, CancellationToken ct) =>
        {
            var (ws, problem) = await ApiResults.LoadAsync(context.User, store, workspace, ct);
            if (problem is not null) return problem;
            ApiResults.SetTag(context, RoadmapStore.Fingerprint(ws!));
            return Results.Ok(RoadmapMapper.ToDocument(ws!));
        }).WithName("GetRoadmap").WithSummary("The whole roadmap in the roadmap file format; the ETag is its fingerprint.")
            .Produces<RoadmapDocument>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/", async (HttpContext context, RoadmapStore store, CancellationToken ct) =>
        {
            var (workspace, problem) = await ReadRoadmapAsync(context, ct);
            if (problem is not null) return problem;
            if (!ApiTokenAuthentication.MayUse(context.User, workspace!.Name) || ApiTokenAuthentication.OnlyWorkspace(context.User) is not null)
                return Results.Problem("Only a token for every workspace can create one.", statusCode: StatusCodes.Status403Forbidden);
            if (await store.LoadAsync(workspace.Name, ct) is not null)
                return Results.Problem($"A workspace named '{workspace.Name}' exists; replace its roadmap with PUT instead.", statusCode: StatusCodes.Status409Conflict);
            await store.ReplaceRoadmapAsync(workspace, "creation through the API", ct);
            ApiResults.SetTag(context, RoadmapStore.Fingerprint((await store.LoadAsync(workspace.Name, ct))!));
            return Results.Created($"/api/v1/workspaces/{Uri.EscapeDataString(workspace.Name)}", new ImportSummary($"Created workspace '{workspace.Name}'."));
        }).WithName("CreateWorkspace").WithSummary("Creates a workspace from a roadmap file (JSON), validated as an import.")
            .Accepts<RoadmapDocument>("application/json").Produces<ImportSummary>(StatusCodes.Status201Created)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapPut("/{workspace}", async (string workspace, HttpContext context, RoadmapStore store, CancellationToken ct) =>
        {
            var (current, problem) = await ApiResults.LoadAsync(context.User, store, workspace, ct);
            if (problem is not null) return problem;
            if (ApiResults.IfMatch(context.Request) is not { } basedOn) return ApiResults.IfMatchRequired("roadmap");
            var (incoming, invalid) = await ReadRoadmapAsync(context, ct);
            if (invalid is not null) return invalid;
            if (incoming!.Name != current!.Name)
                return ApiResults.Invalid("The roadmap was not saved", [(null, "name", $"The file names the workspace '{incoming.Name}', not '{workspace}'.")]);
            var outcome = await store.ReplaceRoadmapAsync(incoming, "replacement through the API", basedOn, ct);
            if (!outcome.Ok) return ApiResults.Stale(outcome.Conflict!);
            ApiResults.SetTag(context, RoadmapStore.Fingerprint((await store.LoadAsync(workspace, ct))!));
            return Results.Ok(new ImportSummary($"Replaced the roadmap of '{workspace}'; the previous one is kept as version '{outcome.KeptVersion}'."));
        }).WithName("ReplaceRoadmap").WithSummary("Replaces the whole roadmap; If-Match must carry the fingerprint you read. The previous roadmap is kept as a version.")
            .Accepts<RoadmapDocument>("application/json").Produces<ImportSummary>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapGet("/{workspace}/export/{format}", async (string workspace, string format, HttpContext context, RoadmapStore store, IScheduler scheduler, CancellationToken ct) =>
        {
            var (ws, problem) = await ApiResults.LoadAsync(context.User, store, workspace, ct);
            if (problem is not null) return problem;
            RoadmapFormat? kind = format switch { "json" => RoadmapFormat.Json, "csv" => RoadmapFormat.Csv, "md" => RoadmapFormat.Markdown, _ => null };
            if (kind is null) return Results.Problem("Format must be json, csv or md.", statusCode: StatusCodes.Status400BadRequest);
            var contentType = kind switch { RoadmapFormat.Json => "application/json", RoadmapFormat.Csv => "text/csv", _ => "text/markdown" };
            var schedule = kind == RoadmapFormat.Markdown ? scheduler.Schedule(ws!, ct: ct) : null; // the Markdown's computed dates
            return Results.Text(RoadmapTransfer.Export(ws!, kind.Value, schedule), contentType + "; charset=utf-8");
        }).WithTags("Import and export").WithName("ExportRoadmap").WithSummary("The roadmap as a JSON, CSV or Markdown file.")
            .Produces<string>(contentType: "text/csv").ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{workspace}/import", async (string workspace, HttpContext context, RoadmapStore store, RoadmapTransfer transfer, CancellationToken ct) =>
        {
            var (_, problem) = await ApiResults.LoadAsync(context.User, store, workspace, ct);
            if (problem is not null) return problem;
            var csv = context.Request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;
            if (await ApiBody.ReadAsync(context.Request, ImportLimits.MaxFileBytes, ct) is not { } bytes) return ApiBody.TooLarge(ImportLimits.MaxFileBytes);
            if (!csv && RoadmapJson.Read(bytes) is { Ok: true, Workspace: { } named } && named.Name != workspace)
                return ApiResults.Invalid("Nothing was imported", [(null, "name", $"The file names the workspace '{named.Name}', not '{workspace}'.")]);
            var outcome = await transfer.ImportAsync(csv ? "import.csv" : "import.json", bytes, workspace, ct);
            return outcome.Ok ? Results.Ok(new ImportSummary(outcome.Summary)) : ApiResults.Invalid(outcome.Summary, outcome.Problems);
        }).WithTags("Import and export").WithName("ImportRoadmap")
            .WithSummary("Imports a roadmap file: JSON (Content-Type application/json) replaces the roadmap, CSV (text/csv) merges initiatives. A file with any problem imports nothing.")
            .Accepts<string>("application/json", "text/csv").Produces<ImportSummary>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapPost("/documents", async (string name, HttpContext context, DocumentLibrary library, CancellationToken ct) =>
        {
            if (await ApiBody.ReadAsync(context.Request, Documents.DocumentExtractor.MaxBytes, ct) is not { } bytes) return ApiBody.TooLarge(Documents.DocumentExtractor.MaxBytes);
            if (name.Length > TextLimits.ShortText) return ApiResults.Invalid("The document was not added", [(null, "name", $"A file name is at most {TextLimits.ShortText} characters.")]);
            var added = await library.AddAsync(name, bytes, ct: ct);
            if (added.Document is not { } document) return ApiResults.Invalid("The document was not added", [(null, "file", added.Error!)]);
            return Results.Created($"/api/v1/documents/{document.Id}", new DocumentAdded(document.Id, document.FileName, document.Kind.ToString().ToLowerInvariant(), document.Chunks));
        }).WithTags("Documents").WithName("AddDocument")
            .WithSummary("Adds a document (txt, md, pdf, csv; the body is the file, at most 20 MB) to the library: checked and read as an upload on the Documents page, then searchable.")
            .Accepts<string>("application/octet-stream", "text/plain", "text/markdown", "text/csv", "application/pdf")
            .Produces<DocumentAdded>(StatusCodes.Status201Created).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapGet("/documents/search", (string q, int? limit, DocumentLibrary library) =>
        {
            if (string.IsNullOrWhiteSpace(q) || q.Length > TextLimits.ShortText)
                return ApiResults.Invalid("The search was not run", [(null, "q", $"Say what to look for, in at most {TextLimits.ShortText} characters.")]);
            var top = Math.Clamp(limit ?? 5, 1, 50);
            return Results.Ok(library.Search(q, top).Select(h => new DocumentHit(h.Text, h.Citation, h.Citation.ToString(), h.Score)).ToList());
        }).WithTags("Documents").WithName("SearchDocuments").WithSummary("Full-text search of the document library (shared by all workspaces), with citations.")
            .Produces<List<DocumentHit>>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>Reads the body as a roadmap file, validated as an import; the problem (413, 422) when it is not one.</summary>
    private static async Task<(Roadmaps.Workspace? Workspace, IResult? Problem)> ReadRoadmapAsync(HttpContext context, CancellationToken ct)
    {
        if (await ApiBody.ReadAsync(context.Request, ImportLimits.MaxFileBytes, ct) is not { } bytes) return (null, ApiBody.TooLarge(ImportLimits.MaxFileBytes));
        var result = RoadmapJson.Read(bytes);
        return result.Ok ? (result.Workspace, null) : (null, ApiResults.Invalid("The roadmap is not valid", result.Problems));
    }
}
