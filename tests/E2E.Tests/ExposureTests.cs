using System.Diagnostics;

namespace Planner.E2E.Tests;

public sealed class ExposureTests
{
    [Fact]
    public async Task The_app_refuses_to_listen_beyond_this_machine_without_an_explicit_setting()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Built.WebProjectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Built.WebDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://0.0.0.0:0");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Planner__DataDirectory"] = Built.NewTempDirectory("exposed");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Refusing to listen on http://0.0.0.0:0", await stdout + await stderr);
    }
}
