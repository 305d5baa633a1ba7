using Planner.Roadmaps;

namespace Planner.Interchange;

/// <summary>Limits on imported files. A real roadmap is kilobytes and a few hundred initiatives at most; the limits
/// stop accidents (a whole issue tracker exported by mistake), not roadmaps, and are checked before the expensive work.</summary>
public static class ImportLimits
{
    public const long MaxFileBytes = 10L * 1024 * 1024;

    /// <summary>Initiatives in a roadmap file, and rows in an initiatives CSV: the most a roadmap holds.</summary>
    public const int MaxInitiatives = RoadmapBounds.MaxInitiatives;

    /// <summary>Rows in an issue tracker's export: its stories roll up into epics, so it may hold more rows than a
    /// roadmap holds initiatives; past this the file is refused before its rows are mapped.</summary>
    public const int MaxTrackerRows = 50_000;

    /// <summary>The refusal of a tracker export with more than <see cref="MaxTrackerRows"/> rows.</summary>
    public static ImportProblem TooManyTrackerRows() =>
        ImportProblem.General($"The file has more than {RoadmapBounds.Format(MaxTrackerRows)} rows; Planner reads tracker exports of up to {RoadmapBounds.Format(MaxTrackerRows)} issues. Export one project, or leave out done issues.");

    public static string Describe(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MB" : $"{bytes / 1024.0:0.#} KB";

    /// <summary>The refusal of a file with more than <see cref="MaxInitiatives"/> initiatives or rows.</summary>
    public static ImportProblem TooMany(string what) =>
        ImportProblem.General($"The file has more than {RoadmapBounds.Format(MaxInitiatives)} {what}; a roadmap holds at most {RoadmapBounds.Format(MaxInitiatives)} initiatives. Split the file or leave out finished work.");
}
