using Planner.Persistence;
using Planner.Scheduling;

namespace Planner.Sharing;

/// <summary>Makes the one-page roadmap of a saved workspace, as PDF or HTML: the one path the CLI (<c>planner share</c>)
/// and the web app share. The plan is computed now, by the same scheduler as the Timeline.</summary>
public sealed class RoadmapShare(RoadmapStore store, IScheduler scheduler, TimeProvider time)
{
    /// <summary>The share of the named workspace (the first one when null); null when there is no such workspace.</summary>
    public async Task<SharedRoadmap?> MakeAsync(ShareFormat format, string? workspaceName = null, ShareScale? scale = null, CancellationToken ct = default)
    {
        var workspace = await store.LoadAsync(workspaceName, ct);
        if (workspace is null) return null;
        var schedule = scheduler.Schedule(workspace, ct: ct);
        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        var report = ShareReportBuilder.Build(workspace, schedule, today, scale);
        var name = FileName(workspace.Name) + "-roadmap";
        return format == ShareFormat.Pdf
            ? new SharedRoadmap(SharePdf.Write(report), "application/pdf", name + ".pdf", report)
            : new SharedRoadmap(System.Text.Encoding.UTF8.GetBytes(ShareHtml.Write(report)), "text/html; charset=utf-8", name + ".html", report);
    }

    /// <summary>Letters, digits, '-' and '_' of the name; anything else becomes '-'.</summary>
    public static string FileName(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-'));
}
