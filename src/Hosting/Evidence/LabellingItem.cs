using Planner.Insights;
using Planner.Insights.Labelling;

namespace Planner.Hosting.Evidence;

/// <summary>One review on the Label page: its text, its key, the label the file's column gives it, the label kept in the
/// workspace (with who set it and the version read), and the current suggestion.</summary>
public sealed class LabellingItem(Review review, string key, string fileLabel)
{
    public Review Review { get; } = review;
    public string Key { get; } = key;

    /// <summary>The label the reviews file's own column holds ("" when none).</summary>
    public string FileLabel { get; } = fileLabel;

    /// <summary>The label kept in the workspace, or null.</summary>
    public ReviewLabel? Stored { get; set; }

    public ItemSuggestion? Suggestion { get; set; }

    /// <summary>The founder's label, else the file's; null when the review is still to label.</summary>
    public string? Label => Stored is { SetBy: LabelSource.Founder } s ? s.Label : FileLabel.Length > 0 ? FileLabel : null;

    public int ReadVersion => Stored?.Version ?? 0;
}

/// <summary>A suggested label with its probability among the label set (null: unknown) and the margin to the runner-up
/// (smaller: more to learn from this review), and where it came from.</summary>
public sealed record ItemSuggestion(string Label, double? Confidence, double? Margin, string Source);
