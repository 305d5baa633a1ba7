using System.Collections.Concurrent;
using Planner.Persistence;
using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Sharing;

/// <summary>Makes the one-page roadmap of a saved workspace, as PDF or HTML: the one path the CLI (<c>planner share</c>)
/// and the web app share. The plan is computed by the same scheduler as the Timeline, once per saved state of the
/// roadmap: a share link opened again, or by many readers at once, reuses the plan of the same roadmap instead of
/// solving it again (requests that arrive while it is being solved wait for that one solve).</summary>
public sealed class RoadmapShare(RoadmapStore store, IScheduler scheduler, TimeProvider time)
{
    /// <summary>How many roadmaps' plans are kept: enough for every workspace's latest state on one machine.</summary>
    public const int PlansKept = 32;

    private readonly ConcurrentDictionary<string, Lazy<Task<Schedule>>> plans = new(StringComparer.Ordinal);

    /// <summary>The share of the named workspace (the first one when null); null when there is no such workspace.</summary>
    public async Task<SharedRoadmap?> MakeAsync(ShareFormat format, string? workspaceName = null, ShareScale? scale = null, CancellationToken ct = default)
    {
        var workspace = await store.LoadAsync(workspaceName, ct);
        if (workspace is null) return null;
        var schedule = await PlanAsync(workspace).WaitAsync(ct);
        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        var report = ShareReportBuilder.Build(workspace, schedule, today, scale);
        var name = FileName(workspace.Name) + "-roadmap";
        return format == ShareFormat.Pdf
            ? new SharedRoadmap(SharePdf.Write(report), "application/pdf", name + ".pdf", report)
            : new SharedRoadmap(System.Text.Encoding.UTF8.GetBytes(ShareHtml.Write(report)), "text/html; charset=utf-8", name + ".html", report);
    }

    /// <summary>The plan of this saved state of the roadmap: solved once, shared by every request for the same state. A
    /// solve that fails is forgotten before anyone sees it fail, so the next request tries again; one reader giving up
    /// does not cancel it for the others.</summary>
    private Task<Schedule> PlanAsync(Workspace workspace)
    {
        var key = RoadmapStore.Fingerprint(workspace);
        Lazy<Task<Schedule>>? mine = null;
        mine = new Lazy<Task<Schedule>>(() => SolveAsync(key, mine!, workspace));
        var plan = plans.GetOrAdd(key, mine);
        if (plans.Count > PlansKept)
            foreach (var old in plans.Keys.Where(k => k != key).Take(plans.Count - PlansKept)) plans.TryRemove(old, out _);
        return plan.Value;
    }

    private async Task<Schedule> SolveAsync(string key, Lazy<Task<Schedule>> entry, Workspace workspace)
    {
        try
        {
            return await Task.Run(() => scheduler.Schedule(workspace));
        }
        catch
        {
            plans.TryRemove(new KeyValuePair<string, Lazy<Task<Schedule>>>(key, entry)); // this entry only, not a newer one
            throw;
        }
    }

    /// <summary>Letters, digits, '-' and '_' of the name; anything else becomes '-'.</summary>
    public static string FileName(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-'));
}
