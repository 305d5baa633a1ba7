using System.Runtime.InteropServices;
using LLama.Native;

namespace Planner.Llm;

/// <summary>Configures llama.cpp's native library once per process, before it loads (LLamaSharp refuses changes
/// afterwards): an optional custom build — e.g. a CUDA build of libllama, configuration key
/// <see cref="ConfigurationKey"/> — instead of the bundled CPU one, and a log callback, because llama.cpp logs
/// verbosely to stderr by default. Both are set in the same step so neither can load the library before the other.</summary>
public static class LlamaNativeLibrary
{
    public const string ConfigurationKey = "Planner:Llm:NativeLibrary";

    private static readonly Lock Gate = new();
    private static bool configured;

    /// <summary>The custom library in use, or null for the bundled CPU build.</summary>
    public static string? CustomPath { get; private set; }

    private static readonly Lazy<LlamaBuild> Loaded = new(Describe, LazyThreadSafetyMode.PublicationOnly); // a failure is not cached

    /// <summary>The llama.cpp build this process runs (loading it, with the configuration so far, if it is not loaded
    /// yet): so a founder who pointed <see cref="ConfigurationKey"/> at a CUDA build can see that it is the one in use.</summary>
    public static LlamaBuild Build => Loaded.Value;

    private static LlamaBuild Describe()
    {
        Configure(null);
        var features = Marshal.PtrToStringUTF8(NativeApi.llama_print_system_info())?.Trim().TrimEnd('|').Trim() ?? "";
        var gpu = NativeApi.llama_supports_gpu_offload();
        // The file the loader mapped (LLamaSharp picks among its CPU builds by the processor's features); Linux says
        // in the process's memory map, other systems are not asked.
        string? file = null;
        if (OperatingSystem.IsLinux())
            file = File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length == 6)
                .Select(fields => fields[5].Trim())
                .FirstOrDefault(path => Path.GetFileName(path).StartsWith("libllama.", StringComparison.Ordinal));
        return new LlamaBuild(file, features, gpu, CustomPath is not null);
    }

    /// <summary>Why <paramref name="path"/> cannot be used as the native library, or null when it can (or is unset).</summary>
    public static string? Problem(string? path) =>
        string.IsNullOrWhiteSpace(path) || File.Exists(path) ? null
            : $"{ConfigurationKey} is '{path}', but no such file exists. Give the full path of a llama.cpp build " +
              "(libllama.so, libllama.dylib or llama.dll) compiled for the llama.cpp version LLamaSharp 0.30 uses, or remove the setting to use the bundled CPU build.";

    /// <summary>Applies the configuration once; later calls with no path (or the same path) do nothing. Throws
    /// <see cref="InvalidOperationException"/> with a clear message for a missing file, or when a different
    /// library was asked for after llama.cpp had already loaded. <paramref name="log"/> receives llama.cpp's
    /// messages (default: warnings and errors to stderr).</summary>
    public static void Configure(string? path, NativeLogConfig.LLamaLogCallback? log = null)
    {
        if (Problem(path) is { } problem) throw new InvalidOperationException(problem);
        path = string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path);
        lock (Gate)
        {
            if (configured || NativeLibraryConfig.LLama.LibraryHasLoaded)
            {
                configured = true;
                if (path is not null && path != CustomPath)
                    throw new InvalidOperationException($"{ConfigurationKey} ('{path}') must be set before llama.cpp is first used; it was already loaded from {CustomPath ?? "the bundled CPU build"}.");
                return;
            }
            if (path is not null) NativeLibraryConfig.LLama.WithLibrary(path);
            NativeLibraryConfig.All.WithLogCallback(log ?? ((level, message) =>
            {
                // Continue (numerically above Error) carries the loader's progress dots: not wanted.
                if (level is LLamaLogLevel.Warning or LLamaLogLevel.Error) Console.Error.Write("[llama.cpp] " + message);
            }));
            CustomPath = path;
            configured = true;
        }
    }
}

/// <summary>A loaded llama.cpp build: its file (null where the system cannot say), the features it was compiled with as
/// llama.cpp lists them (e.g. "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 …"; a CUDA build lists its CUDA architectures),
/// whether it can offload layers to a GPU, and whether it is a custom build rather than the bundled one.</summary>
public sealed record LlamaBuild(string? LibraryFile, string Features, bool GpuOffload, bool Custom)
{
    public override string ToString() =>
        $"{(Custom ? "custom build" : "bundled CPU build")}{(LibraryFile is null ? "" : $" {LibraryFile}")}; " +
        $"{(GpuOffload ? "GPU offload available" : "no GPU offload")}; {Features}";
}
