using System.Runtime.InteropServices;

namespace Planner.TestSupport;

/// <summary>The tests' own look at whether this machine lets glibc ask for huge pages: the kernel's transparent huge
/// page mode (the bracketed word of its setting; "none" without one) and glibc 2.35 or later.</summary>
public static class HugePagesMachine
{
    public static string KernelMode { get; } = ReadMode();

    /// <summary>True where a process started with glibc's tunable gets its memory advised: mode madvise, glibc ≥ 2.35.</summary>
    public static bool CanAsk => KernelMode == "madvise" && GlibcAtLeast(2, 35);

    private static string ReadMode()
    {
        const string setting = "/sys/kernel/mm/transparent_hugepage/enabled";
        if (!OperatingSystem.IsLinux() || !File.Exists(setting)) return "none";
        var text = File.ReadAllText(setting);
        return text[(text.IndexOf('[') + 1)..text.IndexOf(']')];
    }

    private static bool GlibcAtLeast(int major, int minor)
    {
        try
        {
            return Version.Parse(Marshal.PtrToStringUTF8(gnu_get_libc_version())!) >= new Version(major, minor);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc
        }
    }

    [DllImport("libc")]
    private static extern nint gnu_get_libc_version();
}
