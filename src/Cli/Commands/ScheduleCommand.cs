using System.CommandLine;
using Planner.Persistence;
using Planner.Scheduling;
using Planner.Files;

namespace Planner.Cli.Commands;

public static class ScheduleCommand
{
    public static readonly Option<string> Objective = new("--objective")
    {
        Description = "makespan (finish everything soonest) or weighted (valuable work first).",
        DefaultValueFactory = _ => "makespan",
    };

    public static readonly Option<double> TimeLimit = new("--time-limit")
    {
        Description = "Seconds the CP-SAT optimiser may search (the heuristic's schedule is used if it finds nothing better).",
        DefaultValueFactory = _ => 5,
    };

    public static readonly Option<bool> NoSolver = new("--no-solver") { Description = "Use the fast heuristic only." };

    static ScheduleCommand() => Objective.AcceptOnlyFromAmong("makespan", "weighted");

    public static SchedulerOptions OptionsFrom(ParseResult parsed) => new()
    {
        Objective = parsed.GetValue(Objective) == "weighted" ? ScheduleObjective.Weighted : ScheduleObjective.Makespan,
        TimeLimit = TimeSpan.FromSeconds(Math.Clamp(parsed.GetValue(TimeLimit), 0.1, 3600)),
        UseSolver = !parsed.GetValue(NoSolver),
    };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("roadmap") { Description = "A roadmap JSON file (docs/roadmap-format.md)." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the JSON to this file (atomically) instead of standard output." };
        var command = new Command("schedule", "Schedule a roadmap under team capacity and dependencies; prints JSON (status, makespan, lower bound, items).")
        {
            file, Objective, TimeLimit, NoSolver, output,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var (workspace, error) = await RoadmapFile.ReadAsync(parsed.GetValue(file)!, ct);
            if (workspace is null) return await ImportCommand.Fail(stderr, error!);
            var schedule = new CpSatScheduler().Schedule(workspace, OptionsFrom(parsed), ct);
            var json = ScheduleJson.Write(workspace, schedule);
            if (parsed.GetValue(output) is { } target)
            {
                await AtomicFile.WriteAllBytesAsync(target.FullName, RoadmapTransfer.Utf8(json), ct);
                await stderr.WriteLineAsync($"{schedule.Status.ToString().ToLowerInvariant()}: {schedule.MakespanWeeks} weeks; wrote {target.FullName}");
            }
            else
            {
                await stdout.WriteAsync(json);
            }
            return schedule.Status == ScheduleStatus.Infeasible ? ExitCodes.BadInput : ExitCodes.Ok;
        });
        return command;
    }
}
