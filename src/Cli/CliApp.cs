using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Planner.Cli.Commands;
using Planner.Engine.Training;

namespace Planner.Cli;

/// <summary>The `planner` command line: builds the command tree and runs it. Output streams are parameters so tests
/// can run the real commands in-process.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader? stdin = null, CancellationToken ct = default)
    {
        stdin ??= Console.In;
        var root = new RootCommand("planner — private product-roadmap planning on your own machine.");
        root.Options.Add(CliOptions.DataDirectory);
        root.Options.Add(CliOptions.NoSeed);
        root.Subcommands.Add(ImportCommand.Create(stdout, stderr));
        root.Subcommands.Add(ExportCommand.Create(stdout, stderr));
        root.Subcommands.Add(ShareCommand.Create(stdout, stderr));
        root.Subcommands.Add(WorkspacesCommand.Create(stdout, stderr));
        root.Subcommands.Add(ScheduleCommand.Create(stdout, stderr));
        root.Subcommands.Add(ScenarioCommand.Create(stdout, stderr));
        root.Subcommands.Add(TrainCommands.LanguageModel(stdout, stderr));
        root.Subcommands.Add(EvalCommand.Create(stdout, stderr));
        root.Subcommands.Add(GenerateCommand.Create(stdout, stderr));
        root.Subcommands.Add(ExportModelCommand.Create(stdout, stderr));
        root.Subcommands.Add(TrainCommands.Classifier(stdout, stderr));
        root.Subcommands.Add(ClassifyCommand.Create(stdout, stderr));
        root.Subcommands.Add(EvalClassifierCommand.Create(stdout, stderr));
        root.Subcommands.Add(DraftCommand.Create(stdout, stderr));
        root.Subcommands.Add(AskCommand.Create(stdout, stderr));
        root.Subcommands.Add(EvidenceCommand.Create(stdout, stderr));
        root.Subcommands.Add(ThemesCommand.Create(stdout, stderr));
        root.Subcommands.Add(LabelCommand.Create(stdout, stderr));
        root.Subcommands.Add(BackupCommand.Create(stdout, stderr));
        root.Subcommands.Add(RestoreCommand.Create(stdout, stderr));
        root.Subcommands.Add(AdminPasswordCommand.Create(stdin, stdout, stderr));
        root.Subcommands.Add(ModelsCommand.Create(stdin, stdout, stderr));
        root.Subcommands.Add(TokenCommand.Create(stdout, stderr));
        root.Subcommands.Add(InfoCommand.Create(stdout));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line, as every refusal: the parser lists choices one per line.
            var reason = string.Join(" ", Describe(parsed.Errors[0]).Split('\n').Select(line => line.Trim()));
            await stderr.WriteLineAsync($"planner: {reason} (see 'planner --help')");
            return ExitCodes.Usage;
        }
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return await parsed.InvokeAsync(config, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A path the user gave cannot be read or written (a folder, no permission, a disk that is full).
            var resume = e is TrainingStoppedException { LastCheckpointStep: not null } ? " Run the same command with --resume." : "";
            await stderr.WriteLineAsync($"planner: {e.Message.ReplaceLineEndings(" ")}{resume}");
            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            // A programming error: shown whole, as System.CommandLine's default handler did, without aborting.
            await stderr.WriteLineAsync($"Unhandled exception: {e}");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>The parser's own words, except for a value that is not a number: System.CommandLine names the .NET type
    /// there (<c>System.Nullable`1[System.Int32]</c>), which means nothing to a founder.</summary>
    private static string Describe(ParseError error)
    {
        var option = error.SymbolResult switch { OptionResult o => o, ArgumentResult { Parent: OptionResult o } => o, _ => null };
        if (option is null || option.Tokens.Count == 0) return error.Message;
        var type = Nullable.GetUnderlyingType(option.Option.ValueType) ?? option.Option.ValueType;
        var value = option.Tokens[^1].Value;
        if (type == typeof(int) && !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            return $"{option.Option.Name} needs a whole number; '{value}' is not one.";
        if (type == typeof(double) && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            return $"{option.Option.Name} needs a number; '{value}' is not one.";
        return error.Message;
    }
}
