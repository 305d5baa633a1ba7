using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Planner.Persistence;

namespace Planner.Cli.Commands;

/// <summary><c>planner share link create|list|revoke</c>: read-only links to a workspace's one-page roadmap
/// (<c>/s/{token}</c>) for people who cannot sign in. The token is printed once, at creation; the database keeps only
/// its hash.</summary>
public static class ShareLinkCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("link", "Create, list and revoke read-only share links (/s/<token>) to the one-page roadmap.");
        command.Subcommands.Add(CreateCommand(stdout, stderr));
        command.Subcommands.Add(ListCommand(stdout, stderr));
        command.Subcommands.Add(RevokeCommand(stdout, stderr));
        return command;
    }

    private static Command CreateCommand(TextWriter stdout, TextWriter stderr)
    {
        var label = new Argument<string>("label") { Description = "Who the link is for, e.g. \"board\"." };
        var command = new Command("create", "Create a link and print its path once (store it now: only its hash is kept).") { label, CliOptions.Workspace };
        command.SetAction(async (parsed, ct) =>
        {
            await using var services = await CliServices.StartAsync(parsed, ct);
            if (await WorkspaceAsync(services, parsed, stderr, ct) is not { } workspace) return ExitCodes.BadInput;
            var created = await services.GetRequiredService<ShareLinkStore>().CreateAsync(workspace, parsed.GetValue(label)!, ct);
            if (!created.Ok) return await ImportCommand.Fail(stderr, created.Error!);
            await stdout.WriteLineAsync(created.Path);
            await stderr.WriteLineAsync($"Share link {created.Link!.Id} '{created.Link.Label}' for workspace '{workspace}': open the app's address followed by this path. It is shown only now; anyone with it can read the roadmap until you revoke it.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListCommand(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("list", "List the workspace's share links: id, label, created.") { CliOptions.Workspace };
        command.SetAction(async (parsed, ct) =>
        {
            await using var services = await CliServices.StartAsync(parsed, ct);
            if (await WorkspaceAsync(services, parsed, stderr, ct) is not { } workspace) return ExitCodes.BadInput;
            var links = await services.GetRequiredService<ShareLinkStore>().ListAsync(workspace, ct);
            if (links.Count == 0) await stdout.WriteLineAsync("No share links. Create one with: planner share link create <label>");
            foreach (var l in links)
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{l.Id}  {l.Label}  created {l.CreatedUtc:yyyy-MM-dd HH:mm} UTC"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RevokeCommand(TextWriter stdout, TextWriter stderr)
    {
        var id = new Argument<int>("id") { Description = "The link's id (from planner share link list)." };
        var command = new Command("revoke", "Revoke a link: it answers 404 from now on.") { id, CliOptions.Workspace };
        command.SetAction(async (parsed, ct) =>
        {
            await using var services = await CliServices.StartAsync(parsed, ct);
            if (await WorkspaceAsync(services, parsed, stderr, ct) is not { } workspace) return ExitCodes.BadInput;
            var which = parsed.GetValue(id);
            if (!await services.GetRequiredService<ShareLinkStore>().RevokeAsync(workspace, which, ct))
                return await ImportCommand.Fail(stderr, $"workspace '{workspace}' has no share link {which} (see planner share link list).");
            await stdout.WriteLineAsync($"Share link {which} revoked.");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The workspace named by --workspace, or the first one; null (with the reason written) when there is none.</summary>
    private static async Task<string?> WorkspaceAsync(ServiceProvider services, ParseResult parsed, TextWriter stderr, CancellationToken ct)
    {
        var name = parsed.GetValue(CliOptions.Workspace);
        var names = await services.GetRequiredService<RoadmapStore>().WorkspaceNamesAsync(ct);
        var found = name is null ? (names.Count > 0 ? names[0] : null) : names.FirstOrDefault(n => n == name);
        if (found is null)
            await ImportCommand.Fail(stderr, name is null ? "there is no workspace to share." : $"there is no workspace named '{name}'.");
        return found;
    }
}
