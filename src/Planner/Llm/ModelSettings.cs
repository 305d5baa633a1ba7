namespace Planner.Llm;

/// <summary>How a local model runs: context (capped by the model's trained context and rounded down to a multiple
/// of 256, because llama.cpp's context is allocated in those steps), threads, GPU layers and sampling.</summary>
public sealed record ModelSettings
{
    public int? ContextSize { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
    public int GpuLayers { get; init; }
    public int MaxOutputTokens { get; init; } = 200;
    public double Temperature { get; init; } = 0.3;
    public int? Seed { get; init; }

    public static ModelSettings Default { get; } = new();
}
