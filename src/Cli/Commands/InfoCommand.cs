using System.CommandLine;
using System.Reflection;
using Planner.Files;
using Planner.Persistence;

namespace Planner.Cli.Commands;

/// <summary><c>planner info</c>: where this planner keeps its data and models, and which database it uses — without
/// touching them.</summary>
public static class InfoCommand
{
    public static Command Create(TextWriter stdout)
    {
        var command = new Command("info", "Show the version, the data directory, the models folder and the database this planner uses.");
        command.SetAction(async (parsed, ct) =>
        {
            var configuration = CliServices.Configuration(parsed);
            var paths = PlannerPaths.From(configuration);
            var version = typeof(InfoCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
            var source = parsed.GetValue(CliOptions.DataDirectory) is { Length: > 0 } ? "--data-dir"
                : configuration[PlannerPaths.DataDirectoryKey] is { Length: > 0 } ? "Planner__DataDirectory"
                : PlannerPaths.InCheckout ? "default: the source checkout's data/app" : "default: the per-user data folder";
            var provider = configuration[PersistenceServices.ProviderKey] ?? "sqlite";
            await stdout.WriteLineAsync($"planner {version}");
            await stdout.WriteLineAsync($"data directory: {paths.DataDirectory} ({source})");
            await stdout.WriteLineAsync($"models folder: {paths.ModelsDirectory}");
            await stdout.WriteLineAsync(provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase)
                ? $"database: SQLite, {paths.DatabaseFile}"
                : $"database: {provider} ({PersistenceServices.ProviderKey}), ConnectionStrings:{PersistenceServices.ConnectionStringName}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
