namespace Planner.Roadmaps;

/// <summary>The founder's decision about one review or passage for one initiative: confirmed, rejected or linked by
/// hand, with an importance. Kept per workspace by initiative key and review id (one decision per pair; a new one
/// replaces it) and applied by every later evidence run.</summary>
public sealed class EvidenceLink
{
    /// <summary>The longest passage that can be linked, in characters.</summary>
    public const int MaxTextLength = 4000;

    public int Id { get; set; }
    public int WorkspaceId { get; set; }
    public required string InitiativeKey { get; set; }

    /// <summary>The review's id (the reviews file's id column), or for a document passage "file name#passage".</summary>
    public required string ReviewId { get; set; }

    /// <summary>The review text or the passage, as the founder saw it.</summary>
    public required string Text { get; set; }

    /// <summary>Where it comes from: the review's source (g2, in-app…) or the document's file name.</summary>
    public string Source { get; set; } = "";

    public EvidenceDecision Decision { get; set; }
    public EvidenceImportance Importance { get; set; } = EvidenceImportance.Normal;
    public DateTime DecidedUtc { get; set; }

    /// <summary>How many reviews this link counts as (see <see cref="EvidenceImportance"/>); a rejection counts none.</summary>
    public double Weight => WeightOf(Decision, Importance);

    public static double WeightOf(EvidenceDecision decision, EvidenceImportance importance) => decision == EvidenceDecision.Rejected ? 0 : importance switch
    {
        EvidenceImportance.Low => 0.5,
        EvidenceImportance.High => 2,
        _ => 1,
    };
}
