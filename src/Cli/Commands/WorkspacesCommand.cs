using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Planner.Persistence;

namespace Planner.Cli.Commands;

public static class WorkspacesCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("workspaces", "List the workspaces and their saved versions.");
        command.SetAction(async (parsed, ct) =>
        {
            await using var services = await CliServices.StartAsync(parsed, ct);
            var store = services.GetRequiredService<RoadmapStore>();
            foreach (var name in await store.WorkspaceNamesAsync(ct))
            {
                var workspace = (await store.LoadAsync(name, ct))!;
                await stdout.WriteLineAsync($"{name}: {workspace.Initiatives.Count} initiatives, {workspace.Teams.Count} teams");
                foreach (var version in await services.GetRequiredService<RoadmapVersions>().VersionsAsync(name, ct))
                    await stdout.WriteLineAsync($"  {version.CreatedUtc:yyyy-MM-dd HH:mm}Z  {version.Name} ({version.InitiativeCount} initiatives)");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
