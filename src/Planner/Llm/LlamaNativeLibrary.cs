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
