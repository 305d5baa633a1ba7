using System.Globalization;
using Planner.Llm;

namespace Planner.Web.Components.Pages.Models;

/// <summary>The per-model settings as the founder types them: text fields parsed into <see cref="ModelSettings"/>,
/// with a message per field for what cannot be used (not a number, or out of range for this model).</summary>
public sealed class ModelSettingsForm
{
    public string Context { get; set; } = "";
    public string Threads { get; set; } = "";
    public string DecodeThreads { get; set; } = "";
    public string GpuLayers { get; set; } = "";
    public string MaxOutputTokens { get; set; } = "";
    public string Temperature { get; set; } = "";
    public string Parallel { get; set; } = "";

    public static ModelSettingsForm From(ModelSettings settings) => new()
    {
        Context = settings.ContextSize?.ToString(CultureInfo.InvariantCulture) ?? "",
        Threads = settings.Threads.ToString(CultureInfo.InvariantCulture),
        DecodeThreads = settings.DecodeThreads?.ToString(CultureInfo.InvariantCulture) ?? "",
        GpuLayers = settings.GpuLayers.ToString(CultureInfo.InvariantCulture),
        MaxOutputTokens = settings.MaxOutputTokens.ToString(CultureInfo.InvariantCulture),
        Temperature = settings.Temperature.ToString(CultureInfo.InvariantCulture),
        Parallel = settings.ParallelRequests.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The settings (keeping <paramref name="previous"/>'s seed), or null with a message per field in <paramref name="problems"/>.</summary>
    public ModelSettings? Parse(ModelSettings previous, int? trainedContext, out IReadOnlyDictionary<string, string> problems)
    {
        var errors = new Dictionary<string, string>();
        int? context = string.IsNullOrWhiteSpace(Context) ? null : Whole(Context, nameof(ModelSettings.ContextSize), errors);
        var threads = Whole(Threads, nameof(ModelSettings.Threads), errors);
        int? decode = string.IsNullOrWhiteSpace(DecodeThreads) ? null : Whole(DecodeThreads, nameof(ModelSettings.DecodeThreads), errors);
        var gpu = Whole(GpuLayers, nameof(ModelSettings.GpuLayers), errors);
        var max = Whole(MaxOutputTokens, nameof(ModelSettings.MaxOutputTokens), errors);
        var parallel = Whole(Parallel, nameof(ModelSettings.ParallelRequests), errors);
        var temperature = double.TryParse(Temperature, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t : (double?)null;
        if (temperature is null) errors[nameof(ModelSettings.Temperature)] = "Give a number such as 0.3.";
        var settings = previous with
        {
            ContextSize = context,
            Threads = threads ?? previous.Threads,
            DecodeThreads = decode,
            GpuLayers = gpu ?? previous.GpuLayers,
            MaxOutputTokens = max ?? previous.MaxOutputTokens,
            Temperature = temperature ?? previous.Temperature,
            ParallelRequests = parallel ?? previous.ParallelRequests,
        };
        foreach (var (field, message) in settings.Problems(trainedContext)) errors.TryAdd(field, message);
        problems = errors;
        return errors.Count == 0 ? settings : null;
    }

    private static int? Whole(string text, string field, Dictionary<string, string> errors)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return n;
        errors[field] = "Give a whole number.";
        return null;
    }
}
