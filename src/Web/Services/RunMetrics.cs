using System.Text.Json;
using Planner.Engine.Training;

namespace Planner.Web.Services;

/// <summary>Reads a run's metrics.jsonl (one line per optimizer step, written by the trainers) back into progress
/// reports, so finished and resumed runs show their whole curve.</summary>
public static class RunMetrics
{
    public static IReadOnlyList<TrainingProgress> Read(string file, long totalSteps, long upToStep = long.MaxValue)
    {
        if (!File.Exists(file)) return [];
        var read = new List<TrainingProgress>();
        foreach (var line in File.ReadLines(file))
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

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
