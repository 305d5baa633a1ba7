using System.CommandLine;
using Planner.Scenarios;
using Planner.Scheduling;

namespace Planner.Cli.Commands;

public static class ScenarioCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("roadmap") { Description = "A roadmap JSON file." };
        var changes = new Option<string[]>("--change")
        {
            Description = $"A what-if, repeatable: {ScenarioSpec.Help}.",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var json = new Option<bool>("--json") { Description = "Print the diff as JSON." };
        var command = new Command("scenario", "Apply what-if changes to a copy of the roadmap, reschedule, and print what moves.")
        {
            file, changes, json, ScheduleCommand.Objective, ScheduleCommand.TimeLimit, ScheduleCommand.NoSolver,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var (workspace, error) = await RoadmapFile.ReadAsync(parsed.GetValue(file)!, ct);
            if (workspace is null) return await ImportCommand.Fail(stderr, error!);
            var parsedChanges = new List<ScenarioChange>();
            foreach (var spec in parsed.GetValue(changes) ?? [])
            {
                if (!ScenarioSpec.TryParse(spec, workspace, out var change, out var why)) return await ImportCommand.Fail(stderr, why!);
                parsedChanges.Add(change!);
            }
            var result = new ScenarioRunner(new CpSatScheduler()).Run(workspace, parsedChanges, ScheduleCommand.OptionsFrom(parsed), ct);
            if (!result.Ok) return await ImportCommand.Fail(stderr, result.Summary);
            if (parsed.GetValue(json))
            {
                await stdout.WriteAsync(ScheduleJson.Write(result));
                return ExitCodes.Ok;
            }
            await stdout.WriteLineAsync(result.Summary);
            await stdout.WriteLineAsync();
            await stdout.WriteLineAsync($"{"id",-8} {"baseline",-12} {"scenario",-12} {"finish",7}  title");
            foreach (var item in result.Diff.Moved.OrderBy(i => i.Key, StringComparer.Ordinal))
            {
                string Span(int? s, int? f) => s is null ? "—" : $"wk {s}–{f}";
                var delta = item.FinishDelta is { } d ? (d > 0 ? $"+{d}" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)) : item.Added ? "added" : "removed";
                await stdout.WriteLineAsync($"{item.Key,-8} {Span(item.BaselineStart, item.BaselineFinish),-12} {Span(item.ScenarioStart, item.ScenarioFinish),-12} {delta,7}  {item.Title}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
