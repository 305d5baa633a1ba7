namespace Planner.Llm;

/// <summary>Per-request sampling options; unset values fall back to the model's <see cref="ModelSettings"/>.</summary>
public sealed record GenerationOptions
{
    public int? MaxTokens { get; init; }
    public double? Temperature { get; init; }
    public int? Seed { get; init; }

    /// <summary>Sample among the k likeliest tokens (0: all); null: llama.cpp's default.</summary>
    public int? TopK { get; init; }

    /// <summary>Nucleus sampling mass (1: off); null: llama.cpp's default.</summary>
    public double? TopP { get; init; }

    /// <summary>A GBNF grammar (rule "root") the output must follow; bound every repetition (FACTS.md).</summary>
    public string? Grammar { get; init; }

    /// <summary>Texts that end the reply (not included in it).</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Told what the generation did once it ended without an error (not when cancelled).</summary>
    public Action<GenerationReport>? Finished { get; init; }
}
