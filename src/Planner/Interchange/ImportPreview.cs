namespace Planner.Interchange;

/// <summary>What an import would do, before anything is saved: the format recognised and the mapping used, which column
/// becomes which field, the initiatives created and updated, those of the same tracker no longer in the file (to keep
/// or remove), what is dropped and why, and the resulting workspace (or the problems that stop the import).</summary>
public sealed record ImportPreview(ImportResult Result)
{
    public TrackerFormat Format { get; init; } = TrackerFormat.Planner;

    /// <summary>The mapping applied (a tracker's defaults, a saved one, or the founder's); null for Planner's own columns.</summary>
    public ImportMapping? Mapping { get; init; }

    public IReadOnlyList<ColumnUse> Columns { get; init; } = [];
    public IReadOnlyList<string> Created { get; init; } = [];
    public IReadOnlyList<string> Updated { get; init; } = [];

    /// <summary>Initiatives imported earlier from the same tracker that this file no longer has.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>Of <see cref="Missing"/>, those removed because the options asked for it.</summary>
    public IReadOnlyList<string> Removed { get; init; } = [];

    /// <summary>Values and rows not imported (or imported differently), each with the reason.</summary>
    public IReadOnlyList<string> Dropped { get; init; } = [];

    /// <summary>Each status in the file and the Planner status it became (idea, planned, in-progress, done, dropped).</summary>
    public IReadOnlyDictionary<string, string> Statuses { get; init; } = new Dictionary<string, string>();

    /// <summary>Each team value in the file (label, component, team) and the team it became, or null for none.</summary>
    public IReadOnlyDictionary<string, string?> TeamValues { get; init; } = new Dictionary<string, string?>();

    public bool Ok => Result.Ok;
}
