using System.Text;
using Planner.Interchange;
using Planner.Roadmaps;

namespace Planner.Persistence;

/// <summary>Imports roadmap files into the store and exports saved roadmaps: the one path the CLI and the web app share.</summary>
public sealed class RoadmapTransfer(RoadmapStore store)
{
    /// <summary>Imports a file by its extension. JSON replaces the roadmap of the workspace it names (or creates it);
    /// CSV merges initiatives into <paramref name="workspaceName"/> (or the first workspace). Either way the previous
    /// roadmap is kept as a version, and a file with any problem imports nothing.</summary>
    public async Task<TransferOutcome> ImportAsync(string fileName, byte[] content, string? workspaceName = null, CancellationToken ct = default)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        ImportResult result;
        switch (extension)
        {
            case ".json":
                result = RoadmapJson.Read(content);
                break;
            case ".csv":
                var target = await store.LoadAsync(workspaceName, ct);
                if (target is null)
                {
                    return TransferOutcome.Failed(workspaceName is null
                        ? "There is no workspace to import initiatives into; import a roadmap JSON first."
                        : $"There is no workspace named '{workspaceName}'.");
                }
                result = InitiativeCsv.Read(content, target);
                break;
            default:
                return TransferOutcome.Failed($"'{Path.GetFileName(fileName)}' is not a roadmap file: import .json (a whole roadmap) or .csv (initiatives).");
        }
        if (!result.Ok) return new TransferOutcome(false, $"Nothing was imported from {Path.GetFileName(fileName)}.", result.Problems);

        var workspace = result.Workspace!;
        var outcome = await store.ReplaceRoadmapAsync(workspace, $"import of {Path.GetFileName(fileName)}", ct);
        var summary = $"{(outcome.Created ? "Created" : "Updated")} workspace '{workspace.Name}': {workspace.Initiatives.Count} initiatives, {workspace.Teams.Count} teams, {workspace.Objectives.Count} objectives.";
        if (outcome.KeptVersion is { } kept) summary += $" The previous roadmap is kept as version '{kept}'.";
        return new TransferOutcome(true, summary, []);
    }

    /// <summary>The current roadmap of the workspace (not its history) in the given format; null when there is no such workspace.</summary>
    public async Task<string?> ExportAsync(RoadmapFormat format, string? workspaceName = null, CancellationToken ct = default)
    {
        var workspace = await store.LoadAsync(workspaceName, ct);
        return workspace is null ? null : Export(workspace, format);
    }

    public static string Export(Workspace workspace, RoadmapFormat format) => format switch
    {
        RoadmapFormat.Json => RoadmapJson.Serialize(workspace),
        RoadmapFormat.Csv => InitiativeCsv.Write(workspace),
        RoadmapFormat.Markdown => RoadmapMarkdown.Write(workspace),
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
