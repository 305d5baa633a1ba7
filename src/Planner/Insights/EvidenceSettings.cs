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

    /// <summary>An initiative's term found in reviews the founder confirmed (or linked) weighs this many times more.</summary>
    public double ConfirmedTermBoost { get; init; } = 1.5;

    /// <summary>A term the initiative does not use that two or more confirmed reviews share is added with this weight.</summary>
    public double LearnedTermWeight { get; init; } = 1;

    /// <summary>Fewer matched reviews than this are shown but suggest no reach or confidence.</summary>
    public int MinMatchedForSuggestions { get; init; } = 3;

    /// <summary>With this many matched reviews, agreement alone decides the confidence; fewer scale it down.</summary>
    public int FullConfidenceAt { get; init; } = 10;
}
