namespace Planner.Insights;

/// <summary>The knobs of review matching and evidence. The defaults were checked by hand on the sample workspace.</summary>
public sealed record EvidenceSettings
{
    public static readonly EvidenceSettings Default = new();

    /// <summary>A term of the initiative's title counts this many times a term of its description.</summary>
    public double TitleWeight { get; init; } = 2;

    /// <summary>A review matches an initiative when the weighted rarity (IDF) of the terms they share reaches this.</summary>
    public double MinScore { get; init; } = 9;

    /// <summary>…and they share at least this many distinct terms (one shared word is too often a coincidence).</summary>
    public int MinTerms { get; init; } = 2;

    /// <summary>A review counts only for the initiatives that score at least this fraction of its best match, so a
    /// review about QuickBooks sync is evidence for the sync work, not for everything that mentions QuickBooks.</summary>
    public double RelativeToBest { get; init; } = 0.75;

    public int QuotesPerInitiative { get; init; } = 3;

    /// <summary>Matched reviews kept with the evidence (strongest first), each for the founder to confirm or reject.</summary>
    public int ReviewsPerInitiative { get; init; } = 50;

    /// <summary>An initiative's term found in reviews the founder confirmed (or linked), and in none rejected, weighs
    /// this many times more. Off (1) by default: on the sample's judged matches, a boost lowered the precision of matches
    /// on reviews no decision touched (docs/benchmarks.md, "Review matching and the founder's decisions").</summary>
    public double ConfirmedTermBoost { get; init; } = 1;

    /// <summary>A term the initiative does not use that two or more confirmed reviews share, and no rejected one, is
    /// added with this weight; 0 (the default, for the same reason as <see cref="ConfirmedTermBoost"/>) adds none.</summary>
    public double LearnedTermWeight { get; init; }

    /// <summary>An initiative's term found in reviews the founder rejected for it, and in none confirmed, weighs this
    /// many times its weight: the words behind wrong matches count less (the measured effect is in docs/benchmarks.md,
    /// "Review matching and the founder's decisions").</summary>
    public double RejectedTermWeight { get; init; } = 0.5;

    /// <summary>When matching knows what texts mean (<see cref="ITextMeaning"/>), a match whose review and initiative have a
    /// lower cosine similarity is dropped (docs/benchmarks.md, "Review matching by meaning").</summary>
    public double MinMeaningSimilarity { get; init; } = 0.35;

    /// <summary>Fewer matched reviews than this are shown but suggest no reach or confidence.</summary>
    public int MinMatchedForSuggestions { get; init; } = 3;

    /// <summary>With this many matched reviews, agreement alone decides the confidence; fewer scale it down.</summary>
    public int FullConfidenceAt { get; init; } = 10;
}
