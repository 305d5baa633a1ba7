using System.Globalization;
using System.Text.Json;
using Planner.Files;

namespace Planner.Llm;

/// <summary>Keeps <see cref="ModelRecord"/>s in <c>model-records.json</c> in the data directory, keyed by the model
/// file's identity (name, size, last write time): the capability check runs once per file, and the Models page shows
/// the speed measured here. Written atomically; a file that cannot be read counts as empty (the records are measured
/// again, nothing the founder wrote is lost).</summary>
public sealed class ModelRecords
{
    public const string FileName = "model-records.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly Lock gate = new();
    private Dictionary<string, ModelRecord> records;

    public ModelRecords(PlannerPaths paths)
    {
        FilePath = Path.Combine(paths.DataDirectory, FileName);
        records = Read();
    }

    public string FilePath { get; }

    /// <summary>The identity a record is kept under: the file's name, size and last write time (UTC ticks).</summary>
    public static string Identity(string modelFile)
    {
        var file = new FileInfo(modelFile);
        return string.Create(CultureInfo.InvariantCulture, $"{file.Name}|{file.Length}|{file.LastWriteTimeUtc.Ticks}");
    }

    /// <summary>The record of <paramref name="modelFile"/> as it is now, or null if nothing was measured for it.</summary>
    public ModelRecord? For(string modelFile)
    {
        if (!File.Exists(modelFile)) return null;
        var key = Identity(modelFile);
        lock (gate) return records.GetValueOrDefault(key);
    }

    /// <summary>Changes the record of <paramref name="modelFile"/> (a new one if there is none) and saves all.</summary>
    public ModelRecord Update(string modelFile, Func<ModelRecord, ModelRecord> change)
    {
        var key = Identity(modelFile);
        lock (gate)
        {
            var next = new Dictionary<string, ModelRecord>(records) { [key] = change(records.GetValueOrDefault(key) ?? new ModelRecord()) };
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            AtomicFile.WriteAllBytes(FilePath, JsonSerializer.SerializeToUtf8Bytes(next, Json));
            records = next;
            return next[key];
        }
    }

    /// <summary>Records the decode speed of a generation that produced enough tokens to time.</summary>
    public void Measured(string modelFile, GenerationReport report)
    {
        if (report.TokensPerSecond is not { } speed || report.TokensGenerated < 16 || !File.Exists(modelFile)) return;
        try
        {
            Update(modelFile, r => r with { TokensPerSecond = Math.Round(speed, 1), MeasuredAt = DateTimeOffset.UtcNow });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A measurement that cannot be saved (full disk, read-only data directory) must not fail the answer it timed.
        }
    }

    private Dictionary<string, ModelRecord> Read()
    {
        try
        {
            return File.Exists(FilePath) ? JsonSerializer.Deserialize<Dictionary<string, ModelRecord>>(File.ReadAllBytes(FilePath), Json) ?? [] : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
