namespace Planner.Hosting.Evidence;

/// <summary>A trained review classifier found in the runs folder: its run name, checkpoint folder, aspect
/// (sentiment or category) and labels.</summary>
public sealed record ClassifierRun(string Name, string Checkpoint, string Aspect, IReadOnlyList<string> Labels)
{
    public string Label => $"{Name} — {Aspect} ({string.Join(", ", Labels)})";
}
