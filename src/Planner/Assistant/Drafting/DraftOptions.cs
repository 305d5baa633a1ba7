namespace Planner.Assistant.Drafting;

/// <summary>How a draft is asked for. The bounds go into the grammar, so even a weak model cannot run on forever
/// inside a string (FACTS.md: unbounded JSON grammars can loop).</summary>
public sealed record DraftOptions
{
    public int MaxItems { get; init; } = 5;
    public int MaxTitleChars { get; init; } = 48;
    public int MaxDescriptionChars { get; init; } = 120;
    public int MaxWeeks { get; init; } = 52;
    public int MaxOutputTokens { get; init; } = 600;
    public double Temperature { get; init; } = 0.4;
    public int Passages { get; init; } = 3;

    /// <summary>A problem with the options a founder typed, or null.</summary>
    public string? Check() =>
        MaxItems is < 1 or > 12 ? "Ask for between 1 and 12 initiatives." :
        MaxOutputTokens is < 64 or > 8192 ? "Max output tokens must be between 64 and 8192." :
        Temperature is < 0 or > 2 ? "Temperature must be between 0 and 2." :
        MaxTitleChars is < 8 or > 200 || MaxDescriptionChars is < 0 or > 2000 ? "Title and description limits are out of range." :
        null;
}
