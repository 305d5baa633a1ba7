using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Planner.Interchange;
using Planner.Persistence;
using Planner.Files;

namespace Planner.Cli.Commands;

public static class ExportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var format = new Option<string>("--format") { Description = "json (the whole roadmap), csv (initiatives) or md (Markdown).", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "csv", "md");
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file (atomically) instead of standard output." };
        var command = new Command("export", "Export the current roadmap of a workspace (not its history).") { format, output, CliOptions.Workspace };
        command.SetAction(async (parsed, ct) =>
        {
            var kind = parsed.GetValue(format) switch
            {
                "csv" => RoadmapFormat.Csv,
                "md" => RoadmapFormat.Markdown,
                _ => RoadmapFormat.Json,
            };
            await using var services = await CliServices.StartAsync(parsed, ct);
            var workspace = parsed.GetValue(CliOptions.Workspace);
            var text = await services.GetRequiredService<RoadmapTransfer>().ExportAsync(kind, workspace, ct);
            if (text is null)
                return await ImportCommand.Fail(stderr, workspace is null ? "there is no workspace to export." : $"there is no workspace named '{workspace}'.");

            if (parsed.GetValue(output) is { } file)
            {
                await AtomicFile.WriteAllBytesAsync(file.FullName, RoadmapTransfer.Utf8(text), ct);
                await stderr.WriteLineAsync($"Wrote {file.FullName}");
            }
            else
            {
                await stdout.WriteAsync(text);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
