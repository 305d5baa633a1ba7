using System.CommandLine;
using System.Reflection;
using Planner.Backup;
using Planner.Persistence;

namespace Planner.Cli.Commands;

/// <summary><c>planner backup --out file.zip</c>: the whole workspace in one archive, safe while the web app runs.</summary>
public static class BackupCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<FileInfo>("--out") { Description = "The archive to write (.zip); written atomically.", Required = true };
        var includeModels = new Option<bool>("--include-models") { Description = "Also archive model weights: run checkpoints and exported GGUF models." };
        var command = new Command("backup",
            "Back up the workspace — database, documents, training runs' settings and metrics — into one zip with a manifest of SHA-256 hashes. " +
            "Model weights only with --include-models; the search index is rebuilt on restore.")
        {
            output, includeModels,
        };
        command.SetAction(async (parsed, ct) =>
        {
            if (CliServices.Configuration(parsed)[PersistenceServices.ProviderKey] is { } provider && !provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
                return await ImportCommand.Fail(stderr, "backup covers the SQLite database; for PostgreSQL use pg_dump alongside this command's files.");
            var paths = CliServices.Paths(parsed);
            var archive = parsed.GetValue(output)!.FullName;
            try
            {
                var manifest = await WorkspaceBackup.CreateAsync(paths.DataDirectory, archive, parsed.GetValue(includeModels), AppVersion, DateTime.UtcNow, ct);
                await stdout.WriteLineAsync($"Wrote {archive}: {manifest.Files.Count} files, {manifest.Files.Sum(f => f.Bytes) / 1e6:F1} MB{(manifest.IncludesModels ? ", models included" : "")}.");
                return ExitCodes.Ok;
            }
            catch (FileNotFoundException e)
            {
                return await ImportCommand.Fail(stderr, e.Message);
            }
        });
        return command;
    }

    public static string AppVersion =>
        typeof(BackupCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
