using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Planner.Files;
using Planner.Security;

namespace Planner.Llm;

/// <summary>Reads and writes <see cref="LlmSettings"/> as <c>llm-settings.json</c> in the data directory, atomically,
/// so the web app and the CLI see the same choices and a crash never leaves half a file. A file that cannot be read
/// is reported in <see cref="LoadProblem"/> and the defaults are used; it is only replaced when the founder saves.
/// The API key is stored encrypted (<c>endpoint.apiKeyProtected</c>, see <see cref="SecretProtector"/>); a key found in
/// plain text (written by an older version) is encrypted on the spot.</summary>
public sealed class LlmSettingsStore
{
    public const string FileName = "llm-settings.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private const string PlainKey = "apiKey";
    private const string ProtectedKey = "apiKeyProtected";

    private readonly Lock gate = new();
    private readonly SecretProtector secrets;
    private LlmSettings current;

    public LlmSettingsStore(PlannerPaths paths)
    {
        FilePath = Path.Combine(paths.DataDirectory, FileName);
        secrets = new SecretProtector(paths.DataDirectory, "Planner.Llm.ApiKey");
        current = Read(out var problem, out var plainKeyFound);
        LoadProblem = problem;
        if (plainKeyFound) Write(current);
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
            Write(saved);
            current = saved;
        }
        Changed?.Invoke(saved);
        return saved;
    }

    /// <summary>The settings as JSON with the API key encrypted, never in plain text.</summary>
    private void Write(LlmSettings settings)
    {
        var json = JsonSerializer.SerializeToNode(settings, Json)!.AsObject();
        if (json["endpoint"] is JsonObject endpoint)
        {
            endpoint.Remove(PlainKey);
            if (!string.IsNullOrEmpty(settings.Endpoint.ApiKey)) endpoint[ProtectedKey] = secrets.Protect(settings.Endpoint.ApiKey);
        }
        AtomicFile.WriteAllBytes(FilePath, JsonSerializer.SerializeToUtf8Bytes(json, Json));
    }

    private LlmSettings Read(out string? problem, out bool plainKeyFound)
    {
        (problem, plainKeyFound) = (null, false);
        if (!File.Exists(FilePath)) return new LlmSettings();
        try
        {
            var json = JsonNode.Parse(File.ReadAllBytes(FilePath));
            var endpoint = json?["endpoint"] as JsonObject;
            var sealedKey = endpoint?[ProtectedKey]?.GetValue<string>();
            endpoint?.Remove(ProtectedKey);
            var settings = json.Deserialize<LlmSettings>(Json) ?? new LlmSettings();
            plainKeyFound = !string.IsNullOrEmpty(settings.Endpoint.ApiKey);
            if (sealedKey is null || plainKeyFound) return settings;
            if (secrets.Unprotect(sealedKey) is { } key) return settings with { Endpoint = settings.Endpoint with { ApiKey = key } };
            problem = $"The saved API key of the OpenAI-compatible server cannot be decrypted (the data directory's keys folder was replaced or lost); enter the key again.";
            return settings;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            problem = $"{FilePath} could not be read ({e.Message}); the default model settings are used until you save.";
            return new LlmSettings();
        }
    }
}
