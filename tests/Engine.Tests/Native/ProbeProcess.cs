using System.Diagnostics;

namespace Planner.Engine.Tests.Native;

/// <summary>Runs this test assembly's own entry point (<see cref="Program"/>) in a process of its own, for what only a
/// process's start decides.</summary>
internal static class ProbeProcess
{
    /// <summary>The probe's standard output, trimmed; <paramref name="cleared"/> are removed from the inherited
    /// environment first, so only what the test gives counts.</summary>
    public static string Run(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, params string[] cleared)
    {
        var start = new ProcessStartInfo(Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(ProbeProcess).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in cleared) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var probe = Process.Start(start)!;
        var errors = probe.StandardError.ReadToEndAsync();
        var output = probe.StandardOutput.ReadToEnd().Trim();
        Assert.True(probe.WaitForExit(60_000), "the probe did not finish");
        Assert.True(probe.ExitCode == 0, errors.Result);
        return output;
    }
}
