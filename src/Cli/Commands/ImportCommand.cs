using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Planner.Interchange;
using Planner.Persistence;

namespace Planner.Cli.Commands;

public static class ImportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "A roadmap .json (replaces the workspace it names, or creates it), an initiatives .csv (merged by id), or a Jira, Linear, GitHub Projects or Productboard export (.csv/.tsv, mapped onto the initiatives)." };
        var preview = new Option<bool>("--preview") { Description = "Show what the import would do (columns to fields, initiatives created and updated, what is dropped and why) and save nothing." };
        var mapping = new Option<FileInfo?>("--mapping") { Description = "A mapping .json for a tracker's export (as --preview --write-mapping writes it); else the workspace's saved one, else the format's defaults." };
        var writeMapping = new Option<FileInfo?>("--write-mapping") { Description = "Write the mapping in use to this file, to edit and pass to --mapping." };
        var saveMapping = new Option<bool>("--save-mapping") { Description = "Save the mapping in use for the workspace: later imports of this tracker's exports use it." };
        var removeMissing = new Option<bool>("--remove-missing") { Description = "Remove the initiatives that came from this tracker and are no longer in its export (by default they are kept)." };
        var command = new Command("import", "Import a roadmap file or a tracker's export. The previous roadmap is kept as a version; a file with any problem imports nothing.")
        {
            file, CliOptions.Workspace, preview, mapping, writeMapping, saveMapping, removeMissing,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var info = parsed.GetValue(file)!;
            if (!info.Exists)
                return await Fail(stderr, $"cannot import {info.Name}: no such file.");
            if (info.Length > ImportLimits.MaxFileBytes)
                return await Fail(stderr, $"cannot import {info.Name}: the file is {ImportLimits.Describe(info.Length)}; the limit is {ImportLimits.Describe(ImportLimits.MaxFileBytes)}.");

            ImportMapping? chosen = null;
            if (parsed.GetValue(mapping) is { } mappingFile)
            {
                if (!mappingFile.Exists) return await Fail(stderr, $"cannot read the mapping {mappingFile.Name}: no such file.");
                chosen = ImportMapping.FromJson(await File.ReadAllTextAsync(mappingFile.FullName, ct), out var problem);
                if (chosen is null) return await Fail(stderr, $"cannot use the mapping {mappingFile.Name}: {problem}");
            }

            var content = await File.ReadAllBytesAsync(info.FullName, ct);
            await using var services = await CliServices.StartAsync(parsed, ct);
            var transfer = services.GetRequiredService<RoadmapTransfer>();
            var workspace = parsed.GetValue(CliOptions.Workspace);
            var options = new ImportOptions(chosen);
            var (seen, failure) = await transfer.PreviewAsync(info.Name, content, workspace, options, ct);
            if (failure is not null) return await Fail(stderr, failure.Summary);
            if (parsed.GetValue(removeMissing) && seen!.Missing.Count > 0)
            {
                options = options with { Remove = seen.Missing };
                (seen, _) = await transfer.PreviewAsync(info.Name, content, workspace, options, ct);
            }

            if (seen!.Mapping is { } used)
            {
                if (parsed.GetValue(writeMapping) is { } target) await File.WriteAllTextAsync(target.FullName, used.ToJson(), ct);
                if (parsed.GetValue(saveMapping) && seen.Result.Workspace?.Name is { } name
                    && await services.GetRequiredService<ImportMappingStore>().SaveAsync(name, used, ct) is { } saveProblem)
                    return await Fail(stderr, $"cannot save the mapping: {saveProblem}");
            }
            if (parsed.GetValue(preview))
            {
                var text = ImportPreviewText.Write(seen, info.Name);
                await (seen.Ok ? stdout : stderr).WriteAsync(text);
                return seen.Ok ? ExitCodes.Ok : ExitCodes.BadInput;
            }

            var outcome = await transfer.ImportAsync(info.Name, content, workspace, options with { Mapping = seen.Mapping }, ct);
            if (!outcome.Ok)
            {
                var count = outcome.Problems.Count;
                await stderr.WriteLineAsync($"planner: {outcome.Summary}{(count > 0 ? $" {count} problem{(count == 1 ? "" : "s")}:" : "")}");
                foreach (var problem in outcome.Problems) await stderr.WriteLineAsync($"  {problem}");
                return ExitCodes.BadInput;
            }
            await stdout.WriteLineAsync(outcome.Summary);
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static async Task<int> Fail(TextWriter stderr, string reason)
    {
        await stderr.WriteLineAsync($"planner: {reason}");
        return ExitCodes.BadInput;
    }
}
