using System.Text.Json;
using Planner.Engine.Training;
using Planner.Files;

namespace Planner.Hosting.Training;

/// <summary>A training run's folder, whichever host made it: the Engine's checkpoints and metrics
/// (<see cref="TrainingOutput"/>), the evaluation report (<c>report.json</c>), and for a queued run its state
/// (<c>run.json</c>) and its own copy of the data (<c>data/</c>).</summary>
public sealed record RunFolder(string Directory)
{
    public const string ReportName = "report.json";
    public const string StateName = "run.json";
    public const string DataName = "data";

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public TrainingOutput Output => new(Directory);
    public string Report => Path.Combine(Directory, ReportName);
    public string State => Path.Combine(Directory, StateName);
    public string Data => Path.Combine(Directory, DataName);

    /// <summary>True when the run left a whole checkpoint to continue from.</summary>
    public bool CanResume => CheckpointStore.Exists(Output.Latest);

    /// <summary>The checkpoint that stands for the run (best, else latest); null before the first one.</summary>
    public ResolvedCheckpoint? BestOrLatest() => Output.BestOrLatest();

    /// <summary>The evaluation report written at the end of the run (or its "before" half while it trains); null when there is none.</summary>
    public EvaluationReport? ReadReport()
    {
        if (!File.Exists(Report)) return null;
        try
        {
            return JsonSerializer.Deserialize<EvaluationReport>(File.ReadAllText(Report), ReportJson);
        }
        catch (JsonException)
        {
            return null; // a report is measured again rather than trusted half-written
        }
    }

    public void WriteReport(EvaluationReport report) =>
        AtomicFile.WriteAllBytes(Report, JsonSerializer.SerializeToUtf8Bytes(report, ReportJson));

    /// <summary>The steps of metrics.jsonl (one line per optimizer step) as progress reports, so finished and resumed runs
    /// show their whole curve; lines past <paramref name="upToStep"/> (a resumed run's future) are left out.</summary>
    public IReadOnlyList<TrainingProgress> ReadMetrics(long totalSteps, long upToStep = long.MaxValue)
    {
        if (!File.Exists(Output.Metrics)) return [];
        var read = new List<TrainingProgress>();
        foreach (var line in File.ReadLines(Output.Metrics))
        {
            try
            {
                var root = JsonDocument.Parse(line).RootElement;
                var step = root.GetProperty("step").GetInt64();
                if (step > upToStep) continue;
                read.Add(new TrainingProgress(step, totalSteps, Number(root, "trainLoss") ?? double.NaN, Number(root, "learningRate") ?? 0, double.NaN,
                    Number(root, "tokensPerSecond") ?? 0, TimeSpan.Zero, Number(root, "valLoss"), Number(root, "perplexity"),
                    Number(root, "accuracy"), Number(root, "macroF1")));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                // a line cut short by a crash: the rest of the log is still worth showing
            }
        }
        return read;
    }

    /// <summary>Bytes on disk in the folder (checkpoints, optimizer state, metrics, copied data). A run writing at the
    /// same moment renames its temporary files away, and may delete a checkpoint folder: what is gone is not counted.</summary>
    public long DiskUsage()
    {
        if (!System.IO.Directory.Exists(Directory)) return 0;
        long total = 0;
        try
        {
            foreach (var file in new DirectoryInfo(Directory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            {
                try
                {
                    total += file.Length;
                }
                catch (FileNotFoundException)
                {
                    // renamed or deleted since it was listed
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // the run folder (or a checkpoint folder being listed) was deleted meanwhile
        }
        return total;
    }

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
