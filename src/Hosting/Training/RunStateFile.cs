using System.Text.Json;
using Microsoft.Extensions.Logging;
using Planner.Files;

namespace Planner.Hosting.Training;

/// <summary>A queued run's request and state in its folder's <c>run.json</c>, written atomically after every change of
/// state, so the runs list — and unfinished runs — survive a restart, even a crash.</summary>
internal static class RunStateFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record RunState(int Id, TrainingRequest Request, TrainingJobStatus Status, string? Message, string? ExportedModel,
        DateTime? CreatedUtc = null, DateTime? FinishedUtc = null, double Seconds = 0, string? DataUsed = null,
        EvaluationReport? Report = null, IReadOnlyList<GenerationSample>? Samples = null);

    public static void Save(TrainingJob job)
    {
        var state = new RunState(job.Id, job.Request, job.Status, job.Message, job.ExportedModel, job.CreatedUtc, job.FinishedUtc,
            job.Duration.TotalSeconds, job.DataUsed, job.EvaluationReport, job.Samples);
        AtomicFile.WriteAllBytes(job.Folder.State, JsonSerializer.SerializeToUtf8Bytes(state, Json));
    }

    /// <summary>Every run in <paramref name="runsDirectory"/> as it was last saved, in id order; unfinished ones (queued,
    /// or running when the app stopped) come back queued, to continue from their last checkpoint. Unreadable states are
    /// logged and left out.</summary>
    public static IReadOnlyList<TrainingJob> ReadAll(string runsDirectory, ILogger logger)
    {
        if (!Directory.Exists(runsDirectory)) return [];
        var found = new List<(RunState State, string Directory)>();
        foreach (var dir in Directory.GetDirectories(runsDirectory))
        {
            var file = new RunFolder(dir).State;
            if (!File.Exists(file)) continue;
            try
            {
                if (JsonSerializer.Deserialize<RunState>(File.ReadAllText(file), Json) is { } state) found.Add((state, dir));
            }
            catch (JsonException e)
            {
                logger.LogWarning(e, "Ignoring unreadable run state {File}", file);
            }
        }
        return [.. found.OrderBy(f => f.State.Id).Select(f =>
        {
            var (state, dir) = f;
            var unfinished = state.Status is TrainingJobStatus.Queued or TrainingJobStatus.Running;
            var job = new TrainingJob(state.Id, state.Request, dir, resumed: unfinished)
            {
                Status = unfinished ? TrainingJobStatus.Queued : state.Status,
                Message = unfinished ? "Continuing after a restart." : state.Message,
                ExportedModel = state.ExportedModel,
                CreatedUtc = state.CreatedUtc ?? Directory.GetCreationTimeUtc(dir),
                FinishedUtc = state.FinishedUtc,
                SecondsBefore = state.Seconds,
                DataUsed = state.DataUsed,
                EvaluationReport = state.Report,
                Samples = state.Samples ?? [],
            };
            if (!unfinished) job.Preload(job.Folder.ReadMetrics(state.Request.StepsOrDefault));
            return job;
        })];
    }
}
