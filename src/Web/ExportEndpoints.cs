using Planner.Interchange;
using Planner.Persistence;

namespace Planner.Web;

/// <summary>Downloads: GET /export/{json|csv|md}?workspace=name returns the current roadmap as a file.</summary>
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
    }
}
