using Planner.Interchange;
using Planner.Roadmaps;

namespace Planner.Cli.Commands;

/// <summary>Reads a roadmap JSON file given on the command line, or says in one line why it cannot.</summary>
internal static class RoadmapFile
{
    public static async Task<(Workspace? Workspace, string? Error)> ReadAsync(FileInfo file, CancellationToken ct)
    {
        if (!file.Exists) return (null, $"{file.Name}: no such file.");
        if (file.Length > ImportLimits.MaxFileBytes)
            return (null, $"{file.Name}: the file is {ImportLimits.Describe(file.Length)}; the limit is {ImportLimits.Describe(ImportLimits.MaxFileBytes)}.");
        var result = RoadmapJson.Read(await File.ReadAllBytesAsync(file.FullName, ct));
        if (result.Ok) return (result.Workspace, null);
        var count = result.Problems.Count;
        return (null, $"{file.Name} is not a valid roadmap ({count} problem{(count == 1 ? "" : "s")}): {string.Join("; ", result.Problems)}");
    }
}
