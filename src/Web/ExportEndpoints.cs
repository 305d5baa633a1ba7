using Planner.Interchange;
using Planner.Persistence;
using Planner.Sharing;

namespace Planner.Web;

/// <summary>Downloads: GET /export/{json|csv|md}?workspace=name returns the current roadmap as a file;
/// GET /share/{pdf|html}?workspace=name&amp;scale=month|quarter the one-page roadmap for stakeholders.</summary>
public static class ExportEndpoints
{
    public static void MapExportEndpoints(this WebApplication app)
    {
        app.MapGet("/export/{format}", async (string format, string? workspace, RoadmapTransfer transfer, CancellationToken ct) =>
        {
            RoadmapFormat? kind = format switch
            {
                "json" => RoadmapFormat.Json,
                "csv" => RoadmapFormat.Csv,
                "md" => RoadmapFormat.Markdown,
                _ => null,
            };
            if (kind is null) return Results.BadRequest("Format must be json, csv or md.");
            var text = await transfer.ExportAsync(kind.Value, workspace, ct);
            if (text is null) return Results.NotFound("No such workspace.");
            var contentType = kind switch { RoadmapFormat.Json => "application/json", RoadmapFormat.Csv => "text/csv", _ => "text/markdown" };
            var name = string.Concat((workspace ?? "roadmap").Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-'));
            return Results.File(RoadmapTransfer.Utf8(text), contentType + "; charset=utf-8", name + RoadmapTransfer.FileExtension(kind.Value));
        });

        app.MapGet("/share/{format}", async (string format, string? workspace, string? scale, RoadmapShare share, CancellationToken ct) =>
        {
            ShareFormat? kind = format switch { "pdf" => ShareFormat.Pdf, "html" => ShareFormat.Html, _ => null };
            if (kind is null) return Results.BadRequest("Format must be pdf or html.");
            if (scale is not (null or "" or "month" or "quarter")) return Results.BadRequest("Scale must be month or quarter.");
            ShareScale? by = scale switch { "month" => ShareScale.Month, "quarter" => ShareScale.Quarter, _ => null };
            try
            {
                var shared = await share.MakeAsync(kind.Value, workspace, by, ct);
                return shared is null ? Results.NotFound("No such workspace.") : Results.File(shared.Content, shared.ContentType, shared.FileName);
            }
            catch (FileNotFoundException e)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable); // no font for the PDF on this machine
            }
        });
    }
}
