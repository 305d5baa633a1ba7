namespace Planner.Llm;

/// <summary>How a local model runs: context (capped by the model's trained context and rounded down to a multiple
/// of 256, because llama.cpp's context is allocated in those steps), threads, GPU layers and sampling.</summary>
public sealed record ModelSettings
{
    public int? ContextSize { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Threads for each new token after the prompt (the prompt itself uses <see cref="Threads"/>); null chooses
    /// at load, by decoding a few tokens with each candidate count (<see cref="DecodeThreadChoice"/>): a small model can
    /// decode faster on one thread than on several, whose synchronisation then costs more than the work they share.</summary>
    public int? DecodeThreads { get; init; }
    public int GpuLayers { get; init; }
    public int MaxOutputTokens { get; init; } = 200;
    public double Temperature { get; init; } = 0.3;
    public int? Seed { get; init; }

    /// <summary>Generations served at once, each in its own context over the same weights (so each needs its own
    /// context memory); the threads are shared out among them. One suits a CPU; a GPU serves several.</summary>
    public int ParallelRequests { get; init; } = 1;

    public const int MaxParallelRequests = 8;

    /// <summary>The threads each generation's context gets: <see cref="Threads"/> shared among the contexts that run
    /// side by side, at least one.</summary>
    [System.Text.Json.Serialization.JsonIgnore] // derived, not saved
    public int ThreadsPerRequest => Math.Max(1, Threads / Math.Max(1, ParallelRequests));

    public static ModelSettings Default { get; } = new();

    /// <summary>What is wrong with these settings for a model trained with <paramref name="trainedContext"/> tokens,
    /// by property name; empty when they can be used.</summary>
    public IReadOnlyDictionary<string, string> Problems(int? trainedContext)
    {
        var problems = new Dictionary<string, string>();
        if (ContextSize is { } context)
        {
            if (context < 256 || context % 256 != 0)
                problems[nameof(ContextSize)] = "The context must be a multiple of 256 tokens (256, 512, 1024, …).";
            else if (trainedContext is { } trained && context > trained)
                problems[nameof(ContextSize)] = $"The context cannot exceed the {trained} tokens the model was trained with.";
        }
        if (Threads < 1 || Threads > Environment.ProcessorCount)
            problems[nameof(Threads)] = $"Threads must be between 1 and {Environment.ProcessorCount} (this machine's cores).";
        if (DecodeThreads is { } decode && (decode < 1 || decode > ThreadsPerRequest))
            problems[nameof(DecodeThreads)] = $"Decode threads must be between 1 and the threads each request gets ({ThreadsPerRequest}), or empty to measure them at load.";
        if (GpuLayers is < 0 or > 1000) problems[nameof(GpuLayers)] = "GPU layers must be between 0 (CPU only) and 1000.";
        var window = ContextSize ?? trainedContext;
        if (MaxOutputTokens < 1 || (window is { } w && MaxOutputTokens > w))
            problems[nameof(MaxOutputTokens)] = $"Max output tokens must be between 1 and the context ({window?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}).";
        if (Temperature is < 0 or > 2 || double.IsNaN(Temperature)) problems[nameof(Temperature)] = "Temperature must be between 0 and 2.";
        if (ParallelRequests is < 1 or > MaxParallelRequests)
            problems[nameof(ParallelRequests)] = $"Parallel requests must be between 1 and {MaxParallelRequests} (each holds its own context in memory).";
        return problems;
    }
}
