using System.Diagnostics;

namespace Planner.Engine.Bench;

/// <summary>Runs this program again with other arguments, so a measurement has a process of its own (MKL chooses its
/// kernels once per process, OpenMP keeps its threads per process, page faults and peak memory are per process).</summary>
public static class ChildProcess
{
    /// <summary>The last line the child printed; throws naming <paramref name="what"/> when it failed.</summary>
    public static string LastLine(IEnumerable<string> arguments, string what)
    {
        var child = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") // started as "dotnet Engine.Bench.dll"
            child.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()!.Location);
        foreach (var a in arguments) child.ArgumentList.Add(a);
        using var process = Process.Start(child)!;
        var printed = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{what} failed with exit code {process.ExitCode}");
        return printed.Trim().Split('\n')[^1];
    }
}
