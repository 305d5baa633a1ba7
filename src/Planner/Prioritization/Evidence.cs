namespace Planner.Prioritization;

/// <summary>What customers said about an initiative, e.g. classified reviews matched to it: how many, what share of
/// all reviews, the strongest quotes, and the scoring inputs this suggests. Scores use the suggestions (and say so
/// in their breakdown) unless the initiative overrides evidence.</summary>
public sealed record Evidence(
    string Source,
    int Matched,
    double Share,
    IReadOnlyList<string> Quotes,
    double? SuggestedReach = null,
    double? SuggestedConfidence = null)
{
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Matched} {Source} ({Share * 100:0}%)");
}
