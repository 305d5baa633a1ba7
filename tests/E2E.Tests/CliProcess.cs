using System.Diagnostics;

namespace Planner.E2E.Tests;

/// <summary>The built `planner` command as a real process, against a given data directory.</summary>
internal static class CliProcess
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    public static Task<Run> RunAsync(string dataDirectory, string workingDirectory, string? stdin, params string[] args) =>
        RunAsync(dataDirectory, workingDirectory, stdin, new Dictionary<string, string>(), args);

    /// <summary>As above, with more environment variables (configuration the CLI reads from its environment).</summary>
    public static async Task<Run> RunAsync(string dataDirectory, string workingDirectory, string? stdin, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Start(dataDirectory, workingDirectory, stdin is not null, environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        await process.WaitForExitAsync();
        return new Run(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Started and left running, for tests that watch it and kill it.</summary>
    public static Process Start(string dataDirectory, string workingDirectory, bool redirectInput, params string[] args) =>
        Start(dataDirectory, workingDirectory, redirectInput, new Dictionary<string, string>(), args);

    /// <summary>As above, with more environment variables.</summary>
    public static Process Start(string dataDirectory, string workingDirectory, bool redirectInput, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectInput, WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Built.CliDll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["Planner__DataDirectory"] = dataDirectory;
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the planner CLI.");
    }

    /// <summary>Sets the web app's administrator password the way an operator would: piped into the CLI.</summary>
    public static async Task SetAdminPasswordAsync(string dataDirectory, string password)
    {
        var run = await RunAsync(dataDirectory, dataDirectory, password + "\n", "admin-password");
        if (run.ExitCode != 0) throw new InvalidOperationException($"planner admin-password failed: {run.Stderr}");
    }
}
