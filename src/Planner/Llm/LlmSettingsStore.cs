using System.Text.Json;
using System.Text.Json.Serialization;
using Planner.Files;

namespace Planner.Llm;

/// <summary>Reads and writes <see cref="LlmSettings"/> as <c>llm-settings.json</c> in the data directory, atomically,
/// so the web app and the CLI see the same choices and a crash never leaves half a file. A file that cannot be read
/// is reported in <see cref="LoadProblem"/> and the defaults are used; it is only replaced when the founder saves.</summary>
public sealed class LlmSettingsStore
{
    public const string FileName = "llm-settings.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly Lock gate = new();
    private LlmSettings current;

    public LlmSettingsStore(PlannerPaths paths)
    {
        FilePath = Path.Combine(paths.DataDirectory, FileName);
        current = Read(FilePath, out var problem);
        LoadProblem = problem;
    }

    public string FilePath { get; }
    public string? LoadProblem { get; }

    public LlmSettings Current
    {
        get { lock (gate) return current; }
    }

    /// <summary>Raised after every save, with the saved settings.</summary>
    public event Action<LlmSettings>? Changed;

    /// <summary>Applies <paramref name="change"/> to the current settings and writes the result.</summary>
    public LlmSettings Update(Func<LlmSettings, LlmSettings> change)
    {
        LlmSettings saved;
        lock (gate)
        {
            saved = change(current);
            AtomicFile.WriteAllBytes(FilePath, JsonSerializer.SerializeToUtf8Bytes(saved, Json));
            current = saved;
        }
        Changed?.Invoke(saved);
        return saved;
    }

    private static LlmSettings Read(string path, out string? problem)
    {
        problem = null;
        if (!File.Exists(path)) return new LlmSettings();
        try
        {
            return JsonSerializer.Deserialize<LlmSettings>(File.ReadAllBytes(path), Json) ?? new LlmSettings();
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            problem = $"{path} could not be read ({e.Message}); the default model settings are used until you save.";
            return new LlmSettings();
        }
    }
}
