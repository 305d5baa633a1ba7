using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Planner.Engine.Native;

/// <summary>Whether the C heap's memory comes in the kernel's 2 MiB pages (transparent huge pages). A training step
/// touches gigabytes of activations and gradients; in 4 KiB pages each new page is a fault and the processor's
/// address cache covers little of them. Where the kernel gives huge pages only on request (its "madvise" mode, the
/// default of Debian and most distributions), glibc asks for them for the memory it takes from the system when the
/// process starts with <see cref="Tunable"/> in GLIBC_TUNABLES. glibc reads that once, before any .NET code runs, so a
/// process that trains starts itself again with it (<see cref="StartAskingForThem"/>), as the JDK's launcher does for its
/// library path. libtorch's own switch (THP_MEM_ALLOC_ENABLE, settable in the process) asks for each large
/// tensor after glibc has placed it, where earlier small blocks have already taken small pages: measured, it did not
/// reduce the page faults and raised the peak (docs/benchmarks.md, "Huge pages for the C heap"). What is in force is
/// found by asking glibc for a block large enough to get a mapping of its own and reading that mapping's flags in the
/// kernel's list (/proc/self/smaps).</summary>
public static class HugePages
{
    /// <summary>The glibc tunable (glibc 2.35 or later) that has malloc ask for transparent huge pages.</summary>
    public const string Tunable = "glibc.malloc.hugetlb=1";

    /// <summary>The environment variable that keeps a process from starting again to ask for them: "off" ("ask", the
    /// default, lets it).</summary>
    public const string SettingVariable = "Planner__Engine__HugePages";

    /// <summary>Set in the environment of a process started again, so that it never starts again a second time.</summary>
    internal const string StartedAgainVariable = "PLANNER_STARTED_FOR_HUGE_PAGES";

    private const string KernelSetting = "/sys/kernel/mm/transparent_hugepage/enabled";

    /// <summary>Above glibc's largest adapting mmap threshold (32 MiB): the block gets a mapping of its own. It is never
    /// touched, so it costs no memory.</summary>
    private const int ProbeBytes = 64 << 20;

    private static readonly Lazy<HugePagesStatus> Found = new(Find);

    /// <summary>What this process has, found once (at the host's native set-up).</summary>
    public static HugePagesStatus Status => Found.Value;

    private static HugePagesStatus Find()
    {
        if (!OperatingSystem.IsLinux()) return new(HugePagesOutcome.Unavailable, "none", "Huge pages: Linux only.");
        if (KernelModeHere() is not { } mode) return new(HugePagesOutcome.Unavailable, "none", "Huge pages: this kernel offers no transparent huge pages.");
        if (mode == "never") return new(HugePagesOutcome.Unavailable, mode, "Huge pages: off in the kernel (transparent_hugepage=never).");
        bool advised;
        try
        {
            advised = HeapAsksForHugePages();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OutOfMemoryException)
        {
            return new(HugePagesOutcome.Unavailable, mode, $"Huge pages: could not be checked ({e.GetType().Name}: {e.Message}).");
        }
        if (advised) return new(HugePagesOutcome.Asked, mode, $"Huge pages: glibc asks for them ({Tunable}; the kernel's mode: {mode}).");
        return mode == "always"
            ? new(HugePagesOutcome.KernelAlways, mode, "Huge pages: the kernel gives them to all large memory (its mode: always).")
            : new(HugePagesOutcome.NotAsked, mode,
                $"Huge pages: not asked for; a process started with GLIBC_TUNABLES={Tunable} trains faster (the web app and `planner train` start again with it unless {SettingVariable}=off).");
    }

    /// <summary>For a host's first statement, before anything else runs (libtorch, threads of its own, output): where
    /// the kernel gives huge pages on request, glibc (2.35 or later) can ask for them and this process did not start
    /// asking, starts this process again in place with <see cref="Tunable"/> added to GLIBC_TUNABLES (execve: the same
    /// process id, program, arguments, environment otherwise and standard streams). Returns only where it does not:
    /// why not, for the host's log; the outcome is <see cref="Status"/>'s either way.</summary>
    public static string StartAskingForThem()
    {
        if (!OperatingSystem.IsLinux()) return "Linux only.";
        if (Environment.GetEnvironmentVariable(SettingVariable)?.Trim().ToLowerInvariant() is not (null or "" or "ask") and var setting)
            return $"{SettingVariable}={setting}."; // "off", or a value the host's set-up refuses with a message (EngineNativeOptions)
        if (Environment.GetEnvironmentVariable(StartedAgainVariable) is not null) return "Started again once already."; // never a loop
        // glibc's own value: its start-up parse cuts the original in the kernel's copy (/proc/self/environ) short.
        var tunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES");
        if (tunables is not null && AsksAlready("GLIBC_TUNABLES=" + tunables)) return "The process started with glibc's huge page tunable set.";
        if (KernelModeHere() is not { } mode) return "This kernel offers no transparent huge pages.";
        if (mode != "madvise") return $"The kernel's mode is {mode}: asking changes nothing.";
        if (GlibcVersion() is not { } version || version < new Version(2, 35)) return "glibc before 2.35 has no huge page tunable.";
        if (Environment.ProcessPath is not { } program) return "The program's path is not known.";
        var arguments = ReadNulSeparated("/proc/self/cmdline");
        if (arguments.Count == 0) return "The process's arguments could not be read.";
        // The rest of the environment as the process started, byte for byte.
        var environment = ReadNulSeparated("/proc/self/environ");
        environment.RemoveAll(e => Encoding.Latin1.GetString(e).StartsWith("GLIBC_TUNABLES=", StringComparison.Ordinal));
        environment.Add(Encoding.UTF8.GetBytes("GLIBC_TUNABLES=" + (string.IsNullOrEmpty(tunables) ? "" : tunables + ":") + Tunable));
        environment.Add(Encoding.ASCII.GetBytes(StartedAgainVariable + "=1"));
        Console.Out.Flush();
        Console.Error.Flush();
        RemoveDiagnosticsPort();
        return Execute(program, arguments, environment);
    }

    /// <summary>Removes the runtime's diagnostics socket (what dotnet-trace, dotnet-counters and dotnet-dump connect to): its
    /// name is made of the process id and start time, which the process keeps across execve, so the runtime started again
    /// could not listen on it while the old one's file is there.</summary>
    private static void RemoveDiagnosticsPort()
    {
        var folder = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } temp ? temp : "/tmp";
        try
        {
            foreach (var socket in Directory.EnumerateFiles(folder, $"dotnet-diagnostic-{Environment.ProcessId}-*-socket")) File.Delete(socket);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the port is a convenience; starting again goes on without it
        }
    }

    /// <summary>Whether an environment entry sets glibc's huge page tunable (any value: one set to 0 is a choice).</summary>
    internal static bool AsksAlready(string entry) =>
        entry.StartsWith("GLIBC_TUNABLES=", StringComparison.Ordinal)
        && entry["GLIBC_TUNABLES=".Length..].Split(':').Any(t => t.StartsWith("glibc.malloc.hugetlb=", StringComparison.Ordinal));

    /// <summary>A list the kernel keeps as NUL-terminated strings (a process's arguments, its start environment), as bytes.</summary>
    private static List<byte[]> ReadNulSeparated(string path)
    {
        byte[] all;
        try
        {
            all = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        var items = new List<byte[]>();
        for (int start = 0, end; start < all.Length; start = end + 1)
        {
            end = Array.IndexOf(all, (byte)0, start);
            if (end < 0) end = all.Length;
            items.Add(all[start..end]);
        }
        return items;
    }

    private static Version? GlibcVersion()
    {
        try
        {
            return Version.TryParse(Marshal.PtrToStringUTF8(gnu_get_libc_version()), out var version) ? version : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // not glibc
        }
    }

    private static unsafe string Execute(string program, List<byte[]> arguments, List<byte[]> environment)
    {
        var path = Terminated(Encoding.UTF8.GetBytes(program));
        var argv = Strings(arguments);
        var envp = Strings(environment);
        try
        {
            _ = execve(path, argv, envp); // returns only on failure
            return $"Starting again failed (error {Marshal.GetLastPInvokeError()}).";
        }
        finally
        {
            foreach (var p in argv.Concat(envp).Append(path)) NativeMemory.Free((void*)p);
        }

        static nint[] Strings(List<byte[]> values) => [.. values.Select(Terminated), 0];

        static nint Terminated(byte[] value)
        {
            var p = (byte*)NativeMemory.Alloc((nuint)value.Length + 1);
            value.CopyTo(new Span<byte>(p, value.Length));
            p[value.Length] = 0;
            return (nint)p;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int execve(nint path, nint[] argv, nint[] envp);

    [DllImport("libc")]
    private static extern nint gnu_get_libc_version();

    /// <summary>This kernel's mode; null where it has no transparent huge pages (or its setting cannot be read).</summary>
    private static string? KernelModeHere()
    {
        try
        {
            return KernelMode(File.ReadAllText(KernelSetting));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The kernel's mode, the bracketed word of its setting ("always [madvise] never" → "madvise").</summary>
    internal static string KernelMode(string setting)
    {
        var open = setting.IndexOf('[', StringComparison.Ordinal);
        var close = open < 0 ? -1 : setting.IndexOf(']', open);
        return close > open + 1 ? setting[(open + 1)..close] : throw new IOException($"The kernel's huge page setting '{setting.Trim()}' names no mode.");
    }

    /// <summary>Whether a block glibc maps afresh carries the kernel's huge page advice.</summary>
    private static unsafe bool HeapAsksForHugePages()
    {
        var block = NativeMemory.Alloc(ProbeBytes);
        try
        {
            return Advised(File.ReadLines("/proc/self/smaps"), (ulong)block)
                   ?? throw new IOException("The kernel's list of this process's mappings has no mapping for a block just allocated.");
        }
        finally
        {
            NativeMemory.Free(block);
        }
    }

    /// <summary>From the kernel's list of a process's mappings (smaps: a "start-end perms …" line, then "Name: value"
    /// lines ending with "VmFlags: …"): whether the mapping holding <paramref name="address"/> carries the huge page
    /// advice ("hg"); null when no mapping holds it.</summary>
    internal static bool? Advised(IEnumerable<string> smaps, ulong address)
    {
        var inside = false;
        foreach (var line in smaps)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var first = space < 0 ? line : line[..space];
            if (!first.EndsWith(':') && first.IndexOf('-', StringComparison.Ordinal) is var dash and > 0
                && ulong.TryParse(first.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
                && ulong.TryParse(first.AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end))
            {
                if (inside) return false; // the holding mapping ended without flags
                if (start > address) return null; // the list is in address order
                inside = address < end;
            }
            else if (inside && first == "VmFlags:")
            {
                return line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("hg", StringComparer.Ordinal);
            }
        }
        return inside ? false : null;
    }
}

/// <summary>Whether the C heap's memory comes in huge pages (<see cref="HugePages"/>).</summary>
public enum HugePagesOutcome
{
    /// <summary>glibc asks the kernel for them (the process started with the tunable).</summary>
    Asked,

    /// <summary>The kernel gives them without being asked.</summary>
    KernelAlways,

    /// <summary>The kernel would give them, but nothing asks.</summary>
    NotAsked,

    /// <summary>Not on this system.</summary>
    Unavailable,
}

/// <summary>The outcome, the kernel's mode ("madvise", "always", "never", "none") and a sentence for logs and the CLI.</summary>
public sealed record HugePagesStatus(HugePagesOutcome Outcome, string KernelMode, string Description)
{
    /// <summary>True when large memory comes in huge pages.</summary>
    public bool InForce => Outcome is HugePagesOutcome.Asked or HugePagesOutcome.KernelAlways;
}
