namespace Planner.Hosting.Evidence;

/// <summary>A trained review classifier found in the runs folder: its run name, the model folder evidence loads (the
/// GPT-2 checkpoint, or the baseline when the run's report chose it), aspect (sentiment or category), labels, and
/// which model that is and why, in words (null for a run from before baselines were trained).</summary>
public sealed record ClassifierRun(string Name, string Checkpoint, string Aspect, IReadOnlyList<string> Labels, string? Choice = null)
{
    public string Label => $"{Name} — {Aspect} ({string.Join(", ", Labels)})";
}
