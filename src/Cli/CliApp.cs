using System.CommandLine;
using Planner.Cli.Commands;

namespace Planner.Cli;

/// <summary>The `planner` command line: builds the command tree and runs it. Output streams are parameters so tests
/// can run the real commands in-process.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default, TextReader? stdin = null)
    {
        stdin ??= Console.In;
        var root = new RootCommand("planner — private product-roadmap planning on your own machine.");
        root.Options.Add(CliOptions.DataDirectory);
        root.Options.Add(CliOptions.NoSeed);
        root.Subcommands.Add(ImportCommand.Create(stdout, stderr));
        root.Subcommands.Add(ExportCommand.Create(stdout, stderr));
        root.Subcommands.Add(WorkspacesCommand.Create(stdout, stderr));
        root.Subcommands.Add(ScheduleCommand.Create(stdout, stderr));
        root.Subcommands.Add(ScenarioCommand.Create(stdout, stderr));
        root.Subcommands.Add(TrainCommand.Create(stdout, stderr));
        root.Subcommands.Add(EvalCommand.Create(stdout, stderr));
        root.Subcommands.Add(GenerateCommand.Create(stdout, stderr));
        root.Subcommands.Add(ExportModelCommand.Create(stdout, stderr));
        root.Subcommands.Add(TrainClassifierCommand.Create(stdout, stderr));
        root.Subcommands.Add(ClassifyCommand.Create(stdout, stderr));
        root.Subcommands.Add(EvalClassifierCommand.Create(stdout, stderr));
        root.Subcommands.Add(DraftCommand.Create(stdout, stderr));
        root.Subcommands.Add(EvidenceCommand.Create(stdout, stderr));
        root.Subcommands.Add(BackupCommand.Create(stdout, stderr));
        root.Subcommands.Add(RestoreCommand.Create(stdout, stderr));
        root.Subcommands.Add(AdminPasswordCommand.Create(stdin, stdout, stderr));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await stderr.WriteLineAsync($"planner: {parsed.Errors[0].Message} (see 'planner --help')");
            return ExitCodes.Usage;
        }
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        return await parsed.InvokeAsync(config, ct);
    }
}
