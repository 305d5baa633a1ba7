using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Planner.Persistence;

namespace Planner.Cli.Commands;

/// <summary><c>planner token create|list|revoke</c>: personal access tokens for the HTTP API and the MCP server. The
/// token is printed once, at creation; the database keeps only its hash.</summary>
public static class TokenCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("token", "Create, list and revoke personal access tokens for the HTTP API and the MCP server.");
        command.Subcommands.Add(CreateCommand(stdout, stderr));
        command.Subcommands.Add(ListCommand(stdout));
        command.Subcommands.Add(RevokeCommand(stdout, stderr));
        return command;
    }

    private static Command CreateCommand(TextWriter stdout, TextWriter stderr)
    {
        var name = new Argument<string>("name") { Description = "What the token is for, e.g. \"assistant\"." };
        var workspace = new Option<string?>("--workspace") { Description = "Limit the token to this workspace (default: every workspace)." };
        var days = new Option<int?>("--expires-in-days") { Description = "Days until the token stops working (default: never)." };
        var command = new Command("create", "Create a token and print it once (store it now: only its hash is kept).") { name, workspace, days };
        command.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(days) is < 1 or > 3650)
            {
                await stderr.WriteLineAsync("planner: --expires-in-days must be from 1 to 3,650.");
                return ExitCodes.BadInput;
            }
            await using var services = await CliServices.StartAsync(parsed, ct);
            var expires = parsed.GetValue(days) is { } d ? DateTime.UtcNow.AddDays(d) : (DateTime?)null;
            var created = await services.GetRequiredService<ApiTokenStore>().CreateAsync(parsed.GetValue(name)!, parsed.GetValue(workspace), expires, ct);
            if (!created.Ok)
            {
                await stderr.WriteLineAsync($"planner: {created.Error}");
                return ExitCodes.BadInput;
            }
            await stdout.WriteLineAsync(created.Secret);
            await stderr.WriteLineAsync($"Token {created.Token!.Id} '{created.Token.Name}' ({Scope(created.Token)}{Expiry(created.Token)}). It is shown only now.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListCommand(TextWriter stdout)
    {
        var command = new Command("list", "List the tokens: id, prefix, name, workspace, created, expiry, revoked.");
        command.SetAction(async (parsed, ct) =>
        {
            await using var services = await CliServices.StartAsync(parsed, ct);
            var tokens = await services.GetRequiredService<ApiTokenStore>().ListAsync(ct);
            if (tokens.Count == 0) await stdout.WriteLineAsync("No tokens. Create one with: planner token create <name>");
            foreach (var t in tokens)
            {
                var state = t.RevokedUtc is { } r ? $"revoked {r:yyyy-MM-dd}" : t.IsActive(DateTime.UtcNow) ? "active" : "expired";
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{t.Id}  {t.Prefix}…  {t.Name}  {Scope(t)}  created {t.CreatedUtc:yyyy-MM-dd}{Expiry(t)}  {state}"));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RevokeCommand(TextWriter stdout, TextWriter stderr)
    {
        var which = new Argument<string>("token") { Description = "The token's id or prefix (from planner token list)." };
        var command = new Command("revoke", "Revoke a token: requests that send it are refused from now on.") { which };
        command.SetAction(async (parsed, ct) =>
        {
            await using var services = await CliServices.StartAsync(parsed, ct);
            var key = parsed.GetValue(which)!.TrimEnd('…');
            if (!await services.GetRequiredService<ApiTokenStore>().RevokeAsync(key, ct))
            {
                await stderr.WriteLineAsync($"planner: no token with the id or prefix '{key}' (see planner token list).");
                return ExitCodes.BadInput;
            }
            await stdout.WriteLineAsync($"Token {key} revoked.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Scope(Security.ApiToken t) => t.Workspace is null ? "every workspace" : $"workspace '{t.Workspace}'";

    private static string Expiry(Security.ApiToken t) => t.ExpiresUtc is { } e ? $", expires {e:yyyy-MM-dd}" : "";
}
