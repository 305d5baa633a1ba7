using System.Diagnostics;

namespace Planner.E2E.Tests;

/// <summary>The CLI as founders install it: packed as a .NET tool, installed from a local folder feed into a tool path,
/// run outside any source checkout.</summary>
public sealed class InstalledToolTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task The_packed_tool_installs_from_a_folder_feed_keeps_its_data_in_the_user_folder_and_schedules_and_trains()
    {
        // Removed afterwards: the package and the installed tool are several hundred MB.
        using var folder = new TempFolder();
        var root = folder.Path;
        var (feed, tools, home, work) = (Path.Combine(root, "feed"), Path.Combine(root, "tools"), Path.Combine(root, "home"), Path.Combine(root, "work"));
        Directory.CreateDirectory(work);
        // The platform's per-user data folder (XDG on Linux) points into this test's folder.
        var environment = new Dictionary<string, string> { ["XDG_DATA_HOME"] = Path.Combine(home, "data"), ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };

        var pack = await RunAsync("dotnet", Built.RepositoryRoot, environment, "pack", Path.Combine("src", "Cli"), "-c", Built.Configuration, "--no-build", "-o", feed);
        Assert.True(pack.ExitCode == 0, pack.Output);
        // A fresh package cache: an older package of the same version never stands in for this build's.
        var installing = new Dictionary<string, string>(environment) { ["NUGET_PACKAGES"] = Path.Combine(root, "packages") };
        var install = await RunAsync("dotnet", work, installing, "tool", "install", "Planner.Cli", "--tool-path", tools, "--add-source", feed, "--version", "0.1.0");
        Assert.True(install.ExitCode == 0, install.Output);
        var planner = Path.Combine(tools, OperatingSystem.IsWindows() ? "planner.exe" : "planner");

        var userData = Path.Combine(home, "data", "planner", "app");
        var info = await RunAsync(planner, work, environment, "info");
        Assert.True(info.ExitCode == 0, info.Output);
        Assert.Contains($"data directory: {userData} (default: the per-user data folder)", info.Output);
        Assert.Contains(userData, (await RunAsync(planner, work, environment, "--help")).Output);

        var schedule = await RunAsync(planner, work, environment, "schedule", Path.Combine(Built.RepositoryRoot, "data", "sample", "roadmap.json"), "--time-limit", "1");
        Assert.True(schedule.ExitCode == 0, schedule.Output);
        Assert.Contains("\"makespanWeeks\": ", schedule.Output);

        var train = await RunAsync(planner, work, environment, "train", "--corpus", Path.Combine(Built.RepositoryRoot, "data", "sample", "docs"), "--out", Path.Combine(work, "run"), "--steps", "1",
            "--layers", "1", "--heads", "2", "--width", "32"); // the installed tool trains; the model's size is not the point
        Assert.True(train.ExitCode == 0, train.Output);
        Assert.Contains("Finished at step 1", train.Output);
        // It started again asking glibc for huge pages, where this machine lets it (HugePages), through the tool's launcher.
        Assert.Contains(HugePagesMachine.CanAsk ? "Huge pages: glibc asks for them" : "Huge pages: ", train.Output);

        // The installed tool's own database, in the user folder: the sample workspace seeded there.
        var workspaces = await RunAsync(planner, work, environment, "workspaces");
        Assert.StartsWith("Ledgerloom: ", workspaces.Output);
        Assert.True(File.Exists(Path.Combine(userData, "planner.db")));
    }
}
