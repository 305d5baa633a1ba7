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
        EvaluationReport? Report = null, IReadOnlyList<GenerationSample>? Samples = null, string? Precision = null);

    public static void Save(TrainingJob job)
    {
        var state = new RunState(job.Id, job.Request, job.Status, job.Message, job.ExportedModel, job.CreatedUtc, job.FinishedUtc,
            job.Duration.TotalSeconds, job.DataUsed, job.EvaluationReport, job.Samples, job.Precision);
        AtomicFile.WriteAllBytes(job.Folder.State, JsonSerializer.SerializeToUtf8Bytes(state, Json));
    }

    /// <summary>Every run in <paramref name="runsDirectory"/> as it was last saved, in id order (see <see cref="Read"/>).
    /// Unreadable states are logged and left out.</summary>
    public static IReadOnlyList<TrainingJob> ReadAll(string runsDirectory, ILogger logger) =>
        Directory.Exists(runsDirectory)
            ? [.. Directory.GetDirectories(runsDirectory).Select(dir => Read(dir, logger)).OfType<TrainingJob>().OrderBy(j => j.Id)]
            : [];

    /// <summary>The run in <paramref name="directory"/> as it was last saved; null when it has no readable state (logged).
    /// An unfinished run (queued, or running when its app stopped) comes back queued, to continue from its last
    /// checkpoint — unless another process holds its <see cref="RunLease"/>: then it is training there, and comes back
    /// running, with its curve so far (<see cref="TrainingJob.Elsewhere"/>). <paramref name="leaseHeldHere"/>: this
    /// process holds the lease (it is about to train the run).</summary>
    public static TrainingJob? Read(string directory, ILogger logger, bool leaseHeldHere = false)
    {
        var file = new RunFolder(directory).State;
        RunState? state;
        try
        {
            state = File.Exists(file) ? JsonSerializer.Deserialize<RunState>(File.ReadAllText(file), Json) : null;
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "Ignoring unreadable run state {File}", file);
            return null;
        }
        catch (IOException)
        {
            return null; // deleted meanwhile
        }
        if (state is null) return null;
        var unfinished = state.Status is TrainingJobStatus.Queued or TrainingJobStatus.Running;
        var elsewhere = unfinished && !leaseHeldHere && RunLease.IsHeld(directory);
        var job = new TrainingJob(state.Id, state.Request, directory, resumed: unfinished && !elsewhere)
        {
            Status = elsewhere ? TrainingJobStatus.Running : unfinished ? TrainingJobStatus.Queued : state.Status,
            Message = elsewhere ? "Training in another instance of the app." : unfinished ? "Continuing after a restart." : state.Message,
            Elsewhere = elsewhere,
            ExportedModel = state.ExportedModel,
            CreatedUtc = state.CreatedUtc ?? Directory.GetCreationTimeUtc(directory),
            FinishedUtc = state.FinishedUtc,
            SecondsBefore = state.Seconds,
            DataUsed = state.DataUsed,
            Precision = state.Precision,
            EvaluationReport = state.Report,
            Samples = state.Samples ?? [],
        };
        if (!unfinished || elsewhere) job.Preload(job.Folder.ReadMetrics(state.Request.StepsOrDefault));
        return job;
    }

    /// <summary>When the run's state or metrics last changed on disk (what another instance wrote, say).</summary>
    public static DateTime LastChangeUtc(string directory)
    {
        var folder = new RunFolder(directory);
        var state = File.GetLastWriteTimeUtc(folder.State);
        var metrics = File.GetLastWriteTimeUtc(folder.Output.Metrics);
        return state > metrics ? state : metrics;
    }
}
