using System.Text.Json;

namespace Planner.Cli.Tests;

/// <summary>Runs the real `planner` command tree in-process and captures its output.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static Task<CliRun> Of(params string[] args) => WithInput("", args);

    public static async Task<CliRun> WithInput(string stdin, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync(args, stdout, stderr, stdin: new StringReader(stdin));
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
}
