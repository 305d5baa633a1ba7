using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Planner.E2E.Tests;

/// <summary>The real web app as a child process on a free loopback port, with its own data directory.</summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    public string BaseUrl { get; }
    public string DataDirectory { get; }

    /// <summary>The app's process id (what a training run's lease file names as its holder).</summary>
    public int ProcessId => process.Id;

    private AppServer(Process process, string baseUrl, string dataDirectory)
    {
        this.process = process;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
    }

    public string Log { get { lock (log) return log.ToString(); } }

    /// <param name="listenHost">The address to bind; tests reach it through 127.0.0.1 either way (0.0.0.0 includes it).</param>
    public static async Task<AppServer> StartAsync(string? dataDirectory = null, IReadOnlyDictionary<string, string>? environment = null, string listenHost = "127.0.0.1")
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        dataDirectory ??= Built.NewTempDirectory("web");
        var process = Process.Start(StartInfo($"http://{listenHost}:{port}", dataDirectory, environment)) ?? throw new InvalidOperationException("Could not start the web app.");
        var server = new AppServer(process, baseUrl, dataDirectory);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilServingAsync();
        }
        catch
        {
            await server.DisposeAsync(); // a start that timed out must not leave its process serving, or training, behind
            throw;
        }
        return server;
    }

    private static ProcessStartInfo StartInfo(string urls, string dataDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Built.WebProjectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Built.WebDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(urls);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        // No watch on the content root (the project folder, bin and obj included) for appsettings changes: setting up
        // its recursive watch took about a second of each start, and no test edits the settings files.
        start.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";
        start.Environment["Planner__DataDirectory"] = dataDirectory;
        // An empty models folder unless a test brings its own: the checkout's data/models must not leak into tests.
        start.Environment["Planner__ModelsDirectory"] = Path.Combine(dataDirectory, "no-models");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return start;
    }

    /// <summary>For start-ups that must be refused: runs the app and waits (at most a minute) for it to exit.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string urls, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Process.Start(StartInfo(urls, Built.NewTempDirectory("refused"), environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Waits (at most <paramref name="within"/>) until the app's output satisfies <paramref name="seen"/>.</summary>
    public async Task WaitForLogAsync(Func<string, bool> seen, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!seen(Log))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not seen in the app's output within {within.TotalSeconds:0} s:\n{Log}");
            if (process.HasExited) throw new InvalidOperationException($"The web app exited with code {process.ExitCode}:\n{Log}");
            await Task.Delay(100);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The web app exited with code {process.ExitCode}:\n{Log}");
            try
            {
                if ((await http.GetAsync(BaseUrl)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The web app did not answer within 60 s:\n{Log}");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown code runs, as in a crash or a power cut.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
