using System.Globalization;
using System.Text.Json;
using Microsoft.SemanticKernel;

namespace Planner.Llm;

/// <summary>Execution settings in the form every Semantic Kernel connector understands (<c>max_tokens</c>,
/// <c>temperature</c>, <c>stop_sequences</c> in ExtensionData), plus a GBNF grammar that only the local service uses.</summary>
public static class ChatSettings
{
    public const string MaxTokensKey = "max_tokens";
    public const string TemperatureKey = "temperature";
    public const string StopKey = "stop_sequences";
    public const string GrammarKey = "planner_grammar";

    public static PromptExecutionSettings Create(int maxTokens, double? temperature = null, string? grammar = null, IReadOnlyList<string>? stop = null)
    {
        var data = new Dictionary<string, object> { [MaxTokensKey] = maxTokens };
        if (temperature is { } t) data[TemperatureKey] = t;
        if (grammar is not null) data[GrammarKey] = grammar;
        if (stop is { Count: > 0 }) data[StopKey] = stop.ToArray();
        return new PromptExecutionSettings { ExtensionData = data };
    }

    /// <summary>The local model's options from any settings object (values may arrive as JSON elements from config.json).</summary>
    public static GenerationOptions ToGenerationOptions(PromptExecutionSettings? settings)
    {
        var data = settings?.ExtensionData;
        if (data is null) return new GenerationOptions();
        return new GenerationOptions
        {
            MaxTokens = Number(data, MaxTokensKey) is { } m ? (int)m : null,
            Temperature = Number(data, TemperatureKey),
            Grammar = data.TryGetValue(GrammarKey, out var g) ? Text(g) : null,
            Stop = data.TryGetValue(StopKey, out var s) ? Texts(s) : [],
        };
    }

    private static double? Number(IDictionary<string, object> data, string key) => data.TryGetValue(key, out var v) ? v switch
    {
        int i => i,
        long l => l,
        double d => d,
        float f => f,
        decimal m => (double)m,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => p,
        _ => throw new ArgumentException($"Execution setting '{key}' must be a number, not {v}."),
    } : null;

    private static string? Text(object value) => value switch
    {
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        _ => throw new ArgumentException($"Execution setting '{GrammarKey}' must be text."),
    };

    private static IReadOnlyList<string> Texts(object value) => value switch
    {
        IEnumerable<string> list => [.. list],
        JsonElement { ValueKind: JsonValueKind.Array } e => [.. e.EnumerateArray().Select(x => x.GetString() ?? "")],
        string s => [s],
        _ => throw new ArgumentException($"Execution setting '{StopKey}' must be a list of texts."),
    };
}
