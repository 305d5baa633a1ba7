namespace Planner.Insights.Labelling;

/// <summary>One label of one review in a workspace: which reviews file, which review (<see cref="ReviewKey"/>), which
/// label column, the label, and who set it (the founder, or a model with its confidence when it told one).
/// <see cref="Version"/> grows with each change and is checked on save (optimistic concurrency, see
/// <see cref="Persistence.ReviewLabelStore"/>).</summary>
public sealed class ReviewLabel
{
    public const int MaxFileLength = 255;
    public const int MaxColumnLength = 100;
    public const int MaxLabelLength = 100;

    public int Id { get; set; }
    public int WorkspaceId { get; set; }
    public required string ReviewsFile { get; set; }
    public required string ReviewKey { get; set; }
    public required string Column { get; set; }
    public required string Label { get; set; }
    public LabelSource SetBy { get; set; }

    /// <summary>The model's probability for the label (0..1); null for the founder's labels and for a model that could
    /// not tell one (an OpenAI-compatible server reports no probabilities).</summary>
    public double? Confidence { get; set; }

    /// <summary>How far the model's probability for the label was ahead of the runner-up's (0..1): the review's place in
    /// the labelling queue, least certain first. Null for the founder's labels, for a model that told no probabilities,
    /// and for labels kept before it was stored.</summary>
    public double? Margin { get; set; }

    /// <summary>The model that suggested the label; null for the founder's.</summary>
    public string? Model { get; set; }

    public int Version { get; set; }
    public DateTime UpdatedUtc { get; set; }
}
