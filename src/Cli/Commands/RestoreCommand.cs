using System.CommandLine;
using Planner.Backup;

namespace Planner.Cli.Commands;

/// <summary><c>planner restore file.zip</c>: a backup into an empty data directory, verified before anything is written.</summary>
public static class RestoreCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var archive = new Argument<FileInfo>("archive") { Description = "A backup made by 'planner backup'." };
        var command = new Command("restore",
            "Restore a backup into the data directory, which must be empty or not exist yet (a restore never overwrites a workspace). " +
            "Every file is checked against the manifest's SHA-256 first; a damaged or altered archive restores nothing.")
        {
            archive,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var file = parsed.GetValue(archive)!;
            var target = CliServices.Paths(parsed).DataDirectory;
            var outcome = await WorkspaceRestore.RestoreAsync(file.FullName, target, ct);
            if (!outcome.Ok) return await ImportCommand.Fail(stderr, $"cannot restore {file.Name}: {outcome.Error}");
            var manifest = outcome.Manifest!;
            await stdout.WriteLineAsync($"Restored {manifest.Files.Count} files into {target} (backup of {manifest.CreatedUtc:yyyy-MM-dd HH:mm}Z by Planner {manifest.AppVersion}); search index rebuilt.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
