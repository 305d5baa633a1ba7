using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Planner.Files;
using Planner.Persistence;
using Planner.Security;

namespace Planner.Llm;

/// <summary>Keeps <see cref="LlmSettings"/> in the database (the <see cref="SettingKey"/> setting, as JSON), so the web
/// app, every other instance on one PostgreSQL and the CLI see the same choices, and a save is one row written or not
/// at all. Each <see cref="Update"/> applies its change to the newest saved settings (<see cref="SharedSettingStore"/>):
/// a founder choosing the backend on one instance does not undo the endpoint another instance saved meanwhile.
/// The API key is stored encrypted (<c>endpoint.apiKeyProtected</c>, see <see cref="SecretProtector"/>). Settings an
/// earlier version kept in <c>llm-settings.json</c> in the data directory are moved into the database on first use
/// (a key found there in plain text is encrypted on the way). Settings that cannot be read are reported in
/// <see cref="LoadProblem"/> and the defaults are used until the founder saves.</summary>
public sealed class LlmSettingsStore
{
    /// <summary>Where earlier versions kept the settings (moved into the database once, then removed).</summary>
    public const string FileName = "llm-settings.json";

    public const string SettingKey = "llm-settings";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
    };

    private const string PlainKey = "apiKey";
    private const string ProtectedKey = "apiKeyProtected";

    private readonly Lock gate = new();
    private readonly SharedSettingStore settings;
    private readonly SecretProtector secrets;
    private (int Version, LlmSettings Settings, string? Problem) cached = (0, new LlmSettings(), null);
    private bool legacyMoved;

    public LlmSettingsStore(IDbContextFactory<PlannerDbContext> factory, PlannerPaths paths)
    {
        settings = new SharedSettingStore(factory);
        LegacyFilePath = Path.Combine(paths.DataDirectory, FileName);
        secrets = new SecretProtector(paths.DataDirectory, "Planner.Llm.ApiKey");
    }

    public string LegacyFilePath { get; }

    /// <summary>Why the saved settings could not be used as saved (the key cannot be decrypted, the saved value or an
    /// earlier version's file is unreadable), as of the last read; null when they could.</summary>
    public string? LoadProblem
    {
        get
        {
            _ = Current;
            lock (gate) return cached.Problem;
        }
    }

    /// <summary>The saved settings, read from the database (parsed again only when another writer changed them). While
    /// the database cannot be reached, the settings last read.</summary>
    public LlmSettings Current
    {
        get
        {
            StoredSetting? row;
            try
            {
                MoveLegacyFile();
                row = settings.Read(SettingKey);
            }
            catch (DbException)
            {
                lock (gate) return cached.Settings;
            }
            lock (gate)
            {
                if (row is null) cached = (0, new LlmSettings(), legacyProblem);
                else if (row.Version != cached.Version) cached = (row.Version, Parse(row.Value, out var problem), problem);
                return cached.Settings;
            }
        }
    }

    /// <summary>Raised after every save, with the saved settings.</summary>
    public event Action<LlmSettings>? Changed;

    /// <summary>Applies <paramref name="change"/> to the newest saved settings and saves the result (again on the
    /// newer settings when another writer saved first).</summary>
    public LlmSettings Update(Func<LlmSettings, LlmSettings> change)
    {
        MoveLegacyFile();
        LlmSettings saved = null!;
        var row = settings.Update(SettingKey, value =>
        {
            saved = change(value is null ? new LlmSettings() : Parse(value, out _));
            return Serialize(saved);
        })!;
        lock (gate) cached = (row.Version, saved, null);
        Changed?.Invoke(saved);
        return saved;
    }

    private string? legacyProblem;

    private void MoveLegacyFile()
    {
        if (Volatile.Read(ref legacyMoved)) return;
        settings.MoveLegacyFile(SettingKey, LegacyFilePath, text =>
        {
            try
            {
                var parsed = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("not a JSON object");
                // A key an older version kept in plain text is encrypted now; one it encrypted is kept as it was.
                return parsed["endpoint"] is JsonObject { } endpoint && endpoint[PlainKey] is not null ? Serialize(Parse(text, out _)) : text;
            }
            catch (JsonException e)
            {
                legacyProblem = $"{LegacyFilePath} could not be read ({e.Message}); the default model settings are used until you save.";
                return null;
            }
        });
        Volatile.Write(ref legacyMoved, !File.Exists(LegacyFilePath));
    }

    /// <summary>The settings as JSON with the API key encrypted, never in plain text.</summary>
    private string Serialize(LlmSettings value)
    {
        var json = JsonSerializer.SerializeToNode(value, Json)!.AsObject();
        if (json["endpoint"] is JsonObject endpoint)
        {
            endpoint.Remove(PlainKey);
            if (!string.IsNullOrEmpty(value.Endpoint.ApiKey)) endpoint[ProtectedKey] = secrets.Protect(value.Endpoint.ApiKey);
        }
        return json.ToJsonString(Json);
    }

    private LlmSettings Parse(string text, out string? problem)
    {
        problem = null;
        try
        {
            var json = JsonNode.Parse(text);
            var endpoint = json?["endpoint"] as JsonObject;
            var sealedKey = endpoint?[ProtectedKey]?.GetValue<string>();
            endpoint?.Remove(ProtectedKey);
            var parsed = json.Deserialize<LlmSettings>(Json) ?? new LlmSettings();
            if (sealedKey is null || !string.IsNullOrEmpty(parsed.Endpoint.ApiKey)) return parsed;
            if (secrets.Unprotect(sealedKey) is { } key) return parsed with { Endpoint = parsed.Endpoint with { ApiKey = key } };
            problem = "The saved API key of the OpenAI-compatible server cannot be decrypted (the data directory's keys folder was replaced or lost); enter the key again.";
            return parsed;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            problem = $"The saved model settings could not be read ({e.Message}); the default model settings are used until you save.";
            return new LlmSettings();
        }
    }
}
