using System.Text.Json;
using System.Threading.Channels;
using Planner.Engine.Data;
using Planner.Engine.Export;
using Planner.Engine.Model;
using Planner.Engine.Training;
using Planner.Llm;
using Planner.Persistence;
using Planner.Telemetry;

namespace Planner.Web.Services;

/// <summary>Training runs, one at a time on this machine (later requests wait in order, visibly). Runs continue when
/// the browser goes away; pages subscribe to <see cref="Changed"/> for live progress. Each run's request and state are
/// kept in its folder (run.json, written atomically), so after the app restarts — even after a crash — unfinished runs
/// are queued again automatically and continue from their last checkpoint. A finished language model can be exported
/// to GGUF into the model registry and chosen for use in one step.</summary>
public sealed class TrainingJobs : BackgroundService
{
    private readonly Channel<TrainingJob> queue = Channel.CreateUnbounded<TrainingJob>();
    private readonly List<TrainingJob> jobs = [];
    private readonly Lock gate = new();
    private readonly PlannerPaths paths;
    private readonly LanguageModelRuntime runtime;
    private readonly ILogger<TrainingJobs> logger;
    private int nextId;

    public TrainingJobs(PlannerPaths paths, LanguageModelRuntime runtime, ILogger<TrainingJobs> logger)
    {
        this.paths = paths;
        this.runtime = runtime;
        this.logger = logger;
    }

    /// <summary>Raised (on a background thread) whenever a job changes: queued, progressed, finished, exported.</summary>
    public event Action<TrainingJob>? Changed;

    public IReadOnlyList<TrainingJob> All
    {
        get { lock (gate) return [.. jobs]; }
    }

    public string RunsDirectory => Path.Combine(paths.DataDirectory, "runs");

    private const string StateFile = "run.json";

    private sealed record RunState(int Id, TrainingRequest Request, TrainingJobStatus Status, string? Message, string? ExportedModel,
        DateTime? CreatedUtc = null, DateTime? FinishedUtc = null, double Seconds = 0, string? DataUsed = null,
        EvaluationReport? Report = null, IReadOnlyList<GenerationSample>? Samples = null);

    /// <summary>The evaluation report of each run, beside its checkpoints.</summary>
    public const string ReportFile = "report.json";

    /// <summary>Queues a run after checking its settings, data and base model (an <see cref="ArgumentException"/> says
    /// what is wrong). The chosen files are copied into the run's folder.</summary>
    public TrainingJob Enqueue(TrainingRequest request)
    {
        if (request.Problems() is { Count: > 0 } problems) throw new ArgumentException(string.Join(" ", problems));
        if (TrainingData.Problem(request) is { } problem) throw new ArgumentException(problem);
        TrainingJob job;
        lock (gate)
        {
            var id = ++nextId;
            var directory = Path.Combine(RunsDirectory, $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{id}");
            job = new TrainingJob(id, CopyData(request, directory), directory);
            jobs.Add(job);
        }
        Save(job);
        queue.Writer.TryWrite(job);
        Changed?.Invoke(job);
        return job;
    }

    /// <summary>The request reading its own copy of the chosen files (run/data/), so deleting a document from the library
    /// or a restart does not change what the run trains on.</summary>
    private static TrainingRequest CopyData(TrainingRequest request, string runDirectory)
    {
        if (request.Files.Count == 0) return request;
        var data = Path.Combine(runDirectory, "data");
        Directory.CreateDirectory(data);
        var copies = new List<string>();
        foreach (var (file, index) in request.Files.Select((f, i) => (f, i)))
        {
            var copy = Path.Combine(data, $"{index + 1:D3}-{Path.GetFileName(file)}");
            File.Copy(file, copy, overwrite: true);
            copies.Add(copy);
        }
        return request with { Files = copies };
    }

    /// <summary>A small domain model on the founder's documents (the sample company's on a fresh install), exported and
    /// made the active model when done: tiny preset, context 256, 160 steps of 4 sequences (164k tokens: about 7.5 minutes
    /// at the 367 tokens/s the engine benchmark measured on 2 CPU cores, plus evaluation and export) — inside the
    /// 10-minute budget, so the product works offline with no downloaded model.</summary>
    public TrainingJob StartStarterModel(string documents, string label) =>
        Enqueue(new TrainingRequest(documents, label, StarterPreset, StarterSteps, StarterBatch, 1e-3) { Context = 256, ExportWhenDone = true });

    public const string StarterPreset = "tiny";
    public const int StarterSteps = 160;
    public const int StarterBatch = 4;

    /// <summary>Reads the runs folder: finished runs are listed, unfinished ones (queued, or running when the app
    /// stopped) are queued again, in their original order, to continue from their last checkpoint.</summary>
    private void Recover()
    {
        if (!Directory.Exists(RunsDirectory)) return;
        var found = new List<(RunState State, string Directory)>();
        foreach (var dir in Directory.GetDirectories(RunsDirectory))
        {
            var file = Path.Combine(dir, StateFile);
            if (!File.Exists(file)) continue;
            try
            {
                if (JsonSerializer.Deserialize<RunState>(File.ReadAllText(file), StateJson) is { } state) found.Add((state, dir));
            }
            catch (JsonException e)
            {
                logger.LogWarning(e, "Ignoring unreadable run state {File}", file);
            }
        }
        foreach (var (state, dir) in found.OrderBy(f => f.State.Id))
        {
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
            if (!unfinished) job.Preload(RunMetrics.Read(Path.Combine(dir, LanguageModelTrainer.MetricsFile), state.Request.Steps));
            lock (gate)
            {
                jobs.Add(job);
                nextId = Math.Max(nextId, state.Id);
            }
            if (unfinished) queue.Writer.TryWrite(job);
        }
    }

    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);
    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private void Save(TrainingJob job)
    {
        var state = new RunState(job.Id, job.Request, job.Status, job.Message, job.ExportedModel, job.CreatedUtc, job.FinishedUtc,
            job.Duration.TotalSeconds, job.DataUsed, job.EvaluationReport, job.Samples);
        AtomicFile.WriteAllBytes(Path.Combine(job.Directory, StateFile), JsonSerializer.SerializeToUtf8Bytes(state, StateJson));
        if (job.EvaluationReport is { } report)
            AtomicFile.WriteAllBytes(Path.Combine(job.Directory, ReportFile), JsonSerializer.SerializeToUtf8Bytes(report, ReportJson));
    }

    public int PositionInQueue(TrainingJob job)
    {
        lock (gate) return jobs.Where(j => j.Status == TrainingJobStatus.Queued).ToList().IndexOf(job) + 1;
    }

    public void Cancel(TrainingJob job)
    {
        job.Cancellation.Cancel();
        if (job.Status == TrainingJobStatus.Queued)
        {
            job.Status = TrainingJobStatus.Cancelled;
            job.Message = "Cancelled before it started.";
            Save(job);
            Changed?.Invoke(job);
        }
    }

    /// <summary>True for a cancelled or failed run with a whole checkpoint to continue from (after a full disk was
    /// cleared, or a cancel regretted).</summary>
    public static bool CanResume(TrainingJob job) =>
        job.Status is TrainingJobStatus.Cancelled or TrainingJobStatus.Failed &&
        CheckpointStore.Exists(Path.Combine(job.Directory, LanguageModelTrainer.LatestCheckpoint));

    /// <summary>Queues <paramref name="job"/> again to continue from its last checkpoint with its own settings and data;
    /// returns the run as now listed (same id and folder). Refused (<see cref="InvalidOperationException"/>) unless
    /// <see cref="CanResume"/>.</summary>
    public TrainingJob Resume(TrainingJob job)
    {
        if (!CanResume(job))
            throw new InvalidOperationException($"Run {job.Id} is {job.Status.ToString().ToLowerInvariant()} and has no checkpoint to resume from.");
        var again = new TrainingJob(job.Id, job.Request, job.Directory, resumed: true)
        {
            Message = "Resuming from its last checkpoint.",
            ResumedByFounder = true,
            CreatedUtc = job.CreatedUtc,
            SecondsBefore = job.Duration.TotalSeconds,
            DataUsed = job.DataUsed,
            EvaluationReport = job.EvaluationReport,
            Samples = job.Samples,
        };
        lock (gate)
        {
            if (!jobs.Remove(job)) throw new InvalidOperationException($"Run {job.Id} is not listed (deleted?).");
            jobs.Add(again); // at the end: the queue's order
        }
        Save(again);
        queue.Writer.TryWrite(again);
        Changed?.Invoke(again);
        return again;
    }

    /// <summary>Deletes a finished run and every file in its folder (an exported GGUF stays in the model registry).
    /// A queued or running run is refused: cancel it first.</summary>
    public void Delete(TrainingJob job)
    {
        if (!job.Finished)
            throw new InvalidOperationException($"Run {job.Id} is {job.Status.ToString().ToLowerInvariant()}: cancel it before deleting it.");
        lock (gate) jobs.Remove(job);
        if (Directory.Exists(job.Directory)) Directory.Delete(job.Directory, recursive: true);
        Changed?.Invoke(job);
    }

    /// <summary>Bytes on disk in the run's folder (checkpoints, optimizer state, metrics, copied data).</summary>
    public static long DiskUsage(TrainingJob job) =>
        Directory.Exists(job.Directory)
            ? new DirectoryInfo(job.Directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
            : 0;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Recover();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in queue.Reader.ReadAllAsync(stoppingToken))
        {
            if (job.Status != TrainingJobStatus.Queued) continue;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, job.Cancellation.Token);
            // TorchSharp work is CPU-bound and synchronous: give it its own thread, not the request pool.
            await Task.Factory.StartNew(() => Run(job, linked.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    private void Run(TrainingJob job, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["TrainingRun"] = job.Id });
        using var activity = PlannerTelemetry.Source.StartActivity("training.run");
        activity?.SetTag("planner.training.run", job.Id);
        logger.LogInformation("Training run {Id} started: preset {Preset}, {Steps} steps, batch {Batch}", job.Id, job.Request.Preset, job.Request.Steps, job.Request.Batch);
        job.Status = TrainingJobStatus.Running;
        job.StartClock();
        Save(job);
        Changed?.Invoke(job);
        try
        {
            job.Message = new TrainingRunner(job, j => Changed?.Invoke(j), Save).Run(ct);
            job.Status = TrainingJobStatus.Completed;
        }
        catch (OperationCanceledException) when (job.Cancellation.IsCancellationRequested)
        {
            job.Status = TrainingJobStatus.Cancelled;
            job.Message = "Cancelled; the last checkpoint is kept.";
        }
        catch (OperationCanceledException)
        {
            // The app is stopping: leave the run "running" on disk so the next start continues it.
            job.StopClock();
            Save(job);
            return;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or CorpusException or CheckpointException or TrainingDivergedException)
        {
            job.Status = TrainingJobStatus.Failed;
            job.Message = e.Message;
            logger.LogWarning(e, "Training run {Id} failed", job.Id);
        }
        job.StopClock();
        job.FinishedUtc = DateTime.UtcNow;
        logger.LogInformation("Training run {Id} {Status}: {Message}", job.Id, job.Status, job.Message);
        activity?.SetTag("planner.training.status", job.Status.ToString());
        Save(job);
        Changed?.Invoke(job);
        if (job.Status == TrainingJobStatus.Completed && job.Request.ExportWhenDone) ExportQuietly(job);
    }

    private void ExportQuietly(TrainingJob job)
    {
        try
        {
            ExportAndUse(job);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or CheckpointException or UnauthorizedAccessException)
        {
            job.Message += $" Export failed: {e.Message}";
            Save(job);
            Changed?.Invoke(job);
            logger.LogWarning(e, "Exporting run {Id} failed", job.Id);
        }
    }

    /// <summary>Writes the run's best checkpoint as a GGUF into Planner's models folder and makes it the active model.</summary>
    public string ExportAndUse(TrainingJob job, GgufDataType type = GgufDataType.Q8_0)
    {
        if (job.Status != TrainingJobStatus.Completed) throw new InvalidOperationException("Only a finished run can be exported.");
        if (job.Request.Task != TrainingTask.LanguageModel)
            throw new InvalidOperationException("A review classifier is not a GGUF model: it is used from the Roadmap's Evidence tab as it is.");
        var best = Path.Combine(job.Directory, LanguageModelTrainer.BestCheckpoint);
        var source = CheckpointStore.Exists(best) ? best : Path.Combine(job.Directory, LanguageModelTrainer.LatestCheckpoint);
        var (model, _) = CheckpointModels.LoadLanguageModel(source);
        using (model)
        {
            Directory.CreateDirectory(paths.ExportedModelsDirectory);
            var file = Path.Combine(paths.ExportedModelsDirectory, $"{Path.GetFileName(job.Directory)}-{type.ToString().ToLowerInvariant()}.gguf");
            GgufExporter.Export(model, file, type, $"planner-{Path.GetFileName(job.Directory)}");
            job.ExportedModel = file;
        }
        runtime.Choose(job.ExportedModel);
        Save(job);
        Changed?.Invoke(job);
        return job.ExportedModel;
    }
}
