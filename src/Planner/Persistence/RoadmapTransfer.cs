using System.Text;
using Planner.Interchange;
using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Persistence;

/// <summary>Imports roadmap files into the store and exports saved roadmaps: the one path the CLI and the web app share.
/// With a scheduler, the Markdown export carries each initiative's computed dates.</summary>
public sealed class RoadmapTransfer(RoadmapStore store, ImportMappingStore? mappings, IScheduler? scheduler = null)
{
    /// <summary>Without saved mappings: tracker exports import with their format's defaults or the options' mapping.</summary>
    public RoadmapTransfer(RoadmapStore store) : this(store, null, null)
    {
    }

    /// <summary>Imports a file by its extension. JSON replaces the roadmap of the workspace it names (or creates it);
    /// CSV merges initiatives into <paramref name="workspaceName"/> (or the first workspace). Either way the previous
    /// roadmap is kept as a version, and a file with any problem imports nothing.</summary>
    public Task<TransferOutcome> ImportAsync(string fileName, byte[] content, string? workspaceName = null, CancellationToken ct = default) =>
        ImportAsync(fileName, content, workspaceName, ImportOptions.Default, ct);

    /// <summary>As <see cref="ImportAsync(string, byte[], string?, CancellationToken)"/>, with a mapping for a tracker's
    /// export (else the workspace's saved one, else the format's defaults) and the initiatives gone from it to remove.</summary>
    public async Task<TransferOutcome> ImportAsync(string fileName, byte[] content, string? workspaceName, ImportOptions options, CancellationToken ct = default)
    {
        var (preview, failure) = await PreviewAsync(fileName, content, workspaceName, options, ct);
        if (failure is not null) return failure;
        if (!preview!.Ok) return new TransferOutcome(false, $"Nothing was imported from {Path.GetFileName(fileName)}.", preview.Result.Problems);

        var workspace = preview.Result.Workspace!;
        var outcome = await store.ReplaceRoadmapAsync(workspace, $"import of {Path.GetFileName(fileName)}", ct);
        var summary = $"{(outcome.Created ? "Created" : "Updated")} workspace '{workspace.Name}': {workspace.Initiatives.Count} initiatives, {workspace.Teams.Count} teams, {workspace.Objectives.Count} objectives.";
        if (preview.Format != TrackerFormat.Planner) summary += " " + ImportPreviewText.Counts(preview);
        if (outcome.KeptVersion is { } kept) summary += $" The previous roadmap is kept as version '{kept}'.";
        return new TransferOutcome(true, summary, []);
    }

    /// <summary>What importing the file would do, saving nothing; or, when the file cannot be read at all (wrong
    /// extension, no workspace), the outcome that says so.</summary>
    public async Task<(ImportPreview? Preview, TransferOutcome? Failure)> PreviewAsync(string fileName, byte[] content, string? workspaceName,
        ImportOptions options, CancellationToken ct = default)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        switch (extension)
        {
            case ".json":
                return (new ImportPreview(RoadmapJson.Read(content)), null);
            case ".csv":
            case ".tsv":
                var target = await store.LoadAsync(workspaceName, ct);
                if (target is null)
                {
                    return (null, TransferOutcome.Failed(workspaceName is null
                        ? "There is no workspace to import initiatives into; import a roadmap JSON first."
                        : $"There is no workspace named '{workspaceName}'."));
                }
                var preview = InitiativeCsv.Preview(content, target, options);
                if (options.Mapping is null && preview.Format != TrackerFormat.Planner
                    && mappings is not null && await mappings.FindAsync(target.Name, preview.Format, ct) is { } saved)
                {
                    preview = InitiativeCsv.Preview(content, target, options with { Mapping = saved });
                }
                return (preview, null);
            default:
                return (null, TransferOutcome.Failed($"'{Path.GetFileName(fileName)}' is not a roadmap file: import .json (a whole roadmap) or .csv (initiatives, or an issue tracker's export)."));
        }
    }

    /// <summary>The current roadmap of the workspace (not its history) in the given format; null when there is no such workspace.</summary>
    public async Task<string?> ExportAsync(RoadmapFormat format, string? workspaceName = null, CancellationToken ct = default)
    {
        var workspace = await store.LoadAsync(workspaceName, ct);
        if (workspace is null) return null;
        var schedule = format == RoadmapFormat.Markdown ? scheduler?.Schedule(workspace, ct: ct) : null;
        return Export(workspace, format, schedule);
    }

    /// <summary>The roadmap in the given format; a <paramref name="schedule"/> adds computed dates to the Markdown.</summary>
    public static string Export(Workspace workspace, RoadmapFormat format, Schedule? schedule = null) => format switch
    {
        RoadmapFormat.Json => RoadmapJson.Serialize(workspace),
        RoadmapFormat.Csv => InitiativeCsv.Write(workspace),
        RoadmapFormat.Markdown => RoadmapMarkdown.Write(workspace, schedule),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string FileExtension(RoadmapFormat format) => format switch
    {
        RoadmapFormat.Json => ".json",
        RoadmapFormat.Csv => ".csv",
        RoadmapFormat.Markdown => ".md",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
