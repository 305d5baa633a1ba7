namespace Planner.Engine.Generation;

/// <summary>Sampling settings. Temperature 0 is greedy; TopK 0 and TopP 1 disable those filters.</summary>
public sealed record GenerationOptions
{
    public int MaxTokens { get; init; } = 64;
    public double Temperature { get; init; } = 0.8;
    public int TopK { get; init; } = 40;
    public double TopP { get; init; } = 0.95;
    /// <summary>Seed of the sampling generator; null picks one at random.</summary>
    public int? Seed { get; init; }
    public bool StopAtEndOfText { get; init; } = true;
    /// <summary>Reuse keys and values of earlier positions (a KV cache); off recomputes the whole sequence each token.</summary>
    public bool UseKvCache { get; init; } = true;
}
