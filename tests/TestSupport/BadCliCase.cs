namespace Planner.TestSupport;

/// <summary>A command line the CLI must refuse, and how.</summary>
/// <param name="Args">The command line; "@name" is a file of <see cref="BadInputFiles"/>.</param>
/// <param name="ExitCode">1 for bad input, 2 for a command line that does not parse.</param>
/// <param name="Message">The start of stderr's first line ("@name" as in Args).</param>
/// <param name="Problem">For imports, which list their problems under that line: text of the second line. Null: the
/// message is one line.</param>
public sealed record BadCliCase(string[] Args, int ExitCode, string Message, string? Problem = null)
{
    /// <summary>What is wrong with a run's outcome, or null when it refused as promised: the exit code, no stack trace,
    /// the message (one line unless the case lists a problem). Warnings ("planner: warning: …") are not counted.</summary>
    public string? Mismatch(int exitCode, string stdout, string stderr, string files)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("planner: warning:", StringComparison.Ordinal)).ToList();
        var message = BadCliInputs.Resolve(Message, files);
        if (exitCode != ExitCode) return $"exit {exitCode}, not {ExitCode}; stderr:\n{stderr}";
        if ((stderr + stdout).Contains("Unhandled exception", StringComparison.Ordinal) || (stderr + stdout).Contains("   at ", StringComparison.Ordinal))
            return $"a stack trace:\n{stderr}{stdout}";
        if (lines.Count == 0 || !lines[0].StartsWith(message, StringComparison.Ordinal)) return $"stderr does not start with \"{message}\":\n{stderr}";
        if (Problem is null) return lines.Count == 1 ? null : $"more than one line:\n{stderr}";
        return lines.Count > 1 && lines[1].StartsWith($"  {Problem}", StringComparison.Ordinal) ? null : $"the second line is not \"  {Problem}\":\n{stderr}";
    }
}
