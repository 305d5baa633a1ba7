using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Planner.Documents;

/// <summary>Reads an untrusted PDF in a separate process, <c>DocumentWorker.dll</c>, shipped next to every host. PdfPig
/// is a managed parser of a hostile format: deep nesting overflows its stack (which no catch survives), and every filter
/// it decodes (Flate chains, LZW, RunLength, raw text) lands in memory unbounded. Inside the worker those end one
/// process: its GC heap is capped (<see cref="MemoryLimitBytes"/>, through <c>DOTNET_GCHeapHardLimit</c>), it is killed
/// with its children after <see cref="TimeLimit"/>, and a crash becomes a refused document with a one-line reason. The
/// worker is started by the running runtime's own <c>dotnet</c> host, so it needs nothing installed beyond the app.</summary>
public static class PdfWorker
{
    /// <summary>The worker's GC heap: enough for PdfPig on any honest 20 MB PDF, far below what a bomb asks.</summary>
    public const long MemoryLimitBytes = 512L * 1024 * 1024;

    /// <summary>How long a worker may take before it is killed.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(60);

    /// <summary>The worker's file name, next to the host's assemblies.</summary>
    public const string FileName = "DocumentWorker.dll";

    public static readonly string MemoryProblem =
        $"The PDF needs more than {MemoryLimitBytes / (1024 * 1024)} MB of memory to read (a compression bomb?); it was not read.";

    /// <summary>The PDF's text by page, or why it could not be read. Throws only when the worker is missing from the
    /// installation (a packaging error, not the founder's).</summary>
    public static ExtractionResult Extract(byte[] content)
    {
        using var process = Process.Start(StartInfo()) ?? throw new InvalidOperationException("The document worker did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            process.StandardInput.BaseStream.Write(content);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The worker ended before reading it all: its exit code and error output say why.
        }
        if (!process.WaitForExit(TimeLimit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return Refused($"reading it took longer than {TimeLimit.TotalSeconds:0} seconds");
        }
        process.WaitForExit(); // the output streams are complete
        return Reply(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>What a finished worker said: its reply, else its first line of error output as the reason.</summary>
    internal static ExtractionResult Reply(int exitCode, string stdout, string stderr)
    {
        if (exitCode == 0)
        {
            try
            {
                if (JsonSerializer.Deserialize<ExtractionResult>(stdout) is { } result) return result;
            }
            catch (JsonException)
            {
                // Not a reply: treated as the crash it is.
            }
        }
        if (stderr.Contains("OutOfMemory", StringComparison.Ordinal) || stderr.Contains("Out of memory", StringComparison.OrdinalIgnoreCase))
            return ExtractionResult.Failed(DocumentKind.Pdf, MemoryProblem);
        var first = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return Refused($"the reader stopped ({(string.IsNullOrEmpty(first) ? $"exit code {exitCode}" : first.TrimEnd('.'))}); it may be damaged or built to break readers");
    }

    private static ExtractionResult Refused(string why) => ExtractionResult.Failed(DocumentKind.Pdf, $"The PDF could not be read: {why}.");

    private static ProcessStartInfo StartInfo()
    {
        var worker = Path.Combine(AppContext.BaseDirectory, FileName);
        if (!File.Exists(worker)) throw new InvalidOperationException($"{FileName} is missing next to the application; reinstall Planner.");
        var info = new ProcessStartInfo(DotnetHost(), [worker])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_GCHeapHardLimit"] = $"0x{MemoryLimitBytes:X}";
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        return info;
    }

    /// <summary>The <c>dotnet</c> host of the running runtime: the runtime lives in
    /// <c>&lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/</c>, the host in <c>&lt;root&gt;</c>.</summary>
    private static string DotnetHost()
    {
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : throw new InvalidOperationException($"The .NET host was not found at {host}.");
    }
}
