namespace Planner.Llm;

/// <summary>The founder's model choices, kept per data directory and shared by the web app and the CLI: which backend
/// answers, which local model is active, how each local model runs, and the OpenAI-compatible endpoint.</summary>
public sealed record LlmSettings
{
    public ChatBackendKind Backend { get; init; } = ChatBackendKind.Local;

    /// <summary>The chosen model file; null means the first usable one in the registry.</summary>
    public string? ActiveModel { get; init; }

    /// <summary>Settings per model file (full path); a model without an entry runs with <see cref="ModelSettings.Default"/>.</summary>
    public IReadOnlyDictionary<string, ModelSettings> Models { get; init; } = new Dictionary<string, ModelSettings>();

    public OpenAiEndpointSettings Endpoint { get; init; } = new();

    public ModelSettings SettingsFor(string? model) =>
        model is not null && Models.TryGetValue(model, out var settings) ? settings : ModelSettings.Default;

    public LlmSettings WithModelSettings(string model, ModelSettings settings) =>
        this with { Models = new Dictionary<string, ModelSettings>(Models) { [model] = settings } };
}
