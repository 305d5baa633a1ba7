namespace Planner.Insights.Labelling;

/// <summary>What saving (or removing) a label did: the label as saved (null when removed or refused), the reason it was
/// refused, and — when another writer (another tab, the CLI) had changed the review's label since the caller read it —
/// a sentence saying what was replaced: the later write wins, and its writer is told.</summary>
public sealed record LabelSaveResult(ReviewLabel? Saved, string? Error = null, string? Replaced = null)
{
    public bool Ok => Error is null;

    public static LabelSaveResult Refused(string error) => new(null, error);
}
