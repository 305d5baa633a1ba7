using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Planner.Interchange;
using Planner.Persistence;

namespace Planner.Cli.Commands;

public static class ImportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "A roadmap .json (replaces the workspace it names, or creates it) or an initiatives .csv (merged by id)." };
        var command = new Command("import", "Import a roadmap file. The previous roadmap is kept as a version; a file with any problem imports nothing.")
        {
            file, CliOptions.Workspace,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var info = parsed.GetValue(file)!;
            if (!info.Exists)
                return await Fail(stderr, $"cannot import {info.Name}: no such file.");
            if (info.Length > ImportLimits.MaxFileBytes)
                return await Fail(stderr, $"cannot import {info.Name}: the file is {ImportLimits.Describe(info.Length)}; the limit is {ImportLimits.Describe(ImportLimits.MaxFileBytes)}.");

            var content = await File.ReadAllBytesAsync(info.FullName, ct);
            await using var services = await CliServices.StartAsync(parsed, ct);
            var outcome = await services.GetRequiredService<RoadmapTransfer>().ImportAsync(info.Name, content, parsed.GetValue(CliOptions.Workspace), ct);
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
