using System.Globalization;

namespace Planner.Hosting.Hub;

/// <summary>How much memory a model could have here: Linux's <c>MemAvailable</c> (free memory plus what the kernel can
/// reclaim at once), elsewhere what the runtime sees as available to this process.</summary>
public static class MachineMemory
{
    public static long AvailableBytes()
    {
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists("/proc/meminfo"))
            {
                foreach (var line in File.ReadLines("/proc/meminfo"))
                {
                    if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                    var kib = line["MemAvailable:".Length..].Trim().Split(' ')[0];
                    if (long.TryParse(kib, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value * 1024;
                }
            }
        }
        catch (IOException)
        {
            // fall through to the runtime's figure
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    /// <summary>A GGUF's weights are mapped whole; the context's key/value cache and llama.cpp's buffers come on top.
    /// A fifth more than the file is a floor for a few thousand tokens of context, not a promise.</summary>
    public static long EstimatedNeed(long fileBytes) => fileBytes + fileBytes / 5 + (256L << 20);
}
