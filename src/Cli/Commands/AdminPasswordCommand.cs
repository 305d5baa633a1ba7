using System.CommandLine;
using System.Text;
using Planner.Security;

namespace Planner.Cli.Commands;

/// <summary><c>planner admin-password</c>: sets the password the web app asks for when it is exposed beyond this
/// machine. Read from standard input (never from the command line, where other users and shell history see it).</summary>
public static class AdminPasswordCommand
{
    public static Command Create(TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("admin-password",
            $"Set the web app's administrator password (read from standard input, at least {AdminPassword.MinimumLength} characters). " +
            "Required before the app may listen beyond 127.0.0.1; setting it again signs out every session.");
        command.SetAction(async (parsed, ct) =>
        {
            var password = ReferenceEquals(stdin, Console.In) && !Console.IsInputRedirected
                ? await ReadFromTerminal(stderr)
                : await stdin.ReadLineAsync(ct);
            if (string.IsNullOrEmpty(password))
                return await ImportCommand.Fail(stderr, "no password given on standard input; nothing changed.");
            if (AdminPassword.Weakness(password) is { } weakness)
                return await ImportCommand.Fail(stderr, $"{weakness} Nothing changed.");
            var store = new AdminPassword(CliServices.Paths(parsed).DataDirectory);
            store.Set(password);
            await stdout.WriteLineAsync($"Administrator password set ({AdminPassword.FileName} in the data directory). Exposed web apps now ask for it.");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Interactive use: typed twice, without echo.</summary>
    private static async Task<string?> ReadFromTerminal(TextWriter stderr)
    {
        await stderr.WriteAsync("New administrator password: ");
        var first = ReadHidden();
        await stderr.WriteAsync("Again: ");
        var second = ReadHidden();
        if (first == second) return first;
        await stderr.WriteLineAsync("The two passwords differ.");
        return null;
    }

    private static string ReadHidden()
    {
        var text = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace) { if (text.Length > 0) text.Length--; }
            else if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return text.ToString();
    }
}
