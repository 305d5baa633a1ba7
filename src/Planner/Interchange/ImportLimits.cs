namespace Planner.Interchange;

/// <summary>Limits on imported files. A real roadmap is kilobytes; the limit stops accidents, not roadmaps.</summary>
public static class ImportLimits
{
    public const long MaxFileBytes = 10L * 1024 * 1024;

    public static string Describe(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MB" : $"{bytes / 1024.0:0.#} KB";
}
