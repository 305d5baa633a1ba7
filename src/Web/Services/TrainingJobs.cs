using System.Text.Json;
using System.Threading.Channels;
using Planner.Engine.Data;
using Planner.Engine.Export;
using Planner.Engine.Model;
using Planner.Engine.Training;
using Planner.Llm;
using Planner.Persistence;

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
        DateTime? CreatedUtc = null, DateTime? FinishedUtc = null, double Seconds = 0);

    public TrainingJob Enqueue(TrainingRequest request)
    {
        if (request.Problems() is { Count: > 0 } problems) throw new ArgumentException(string.Join(" ", problems), nameof(request));
        TrainingJob job;
        lock (gate)
        {
            var id = ++nextId;
            job = new TrainingJob(id, request, Path.Combine(RunsDirectory, $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{id}"));
            jobs.Add(job);
        }
        Save(job);
        queue.Writer.TryWrite(job);
        Changed?.Invoke(job);
        return job;
    }

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

    private void Save(TrainingJob job)
    {
        var state = new RunState(job.Id, job.Request, job.Status, job.Message, job.ExportedModel, job.CreatedUtc, job.FinishedUtc, job.Duration.TotalSeconds);
        AtomicFile.WriteAllBytes(Path.Combine(job.Directory, StateFile), JsonSerializer.SerializeToUtf8Bytes(state, StateJson));
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
        job.Status = TrainingJobStatus.Running;
        job.StartClock();
        Save(job);
        Changed?.Invoke(job);
        try
        {
            var corpus = new CorpusLoader().Load(job.Request.CorpusDirectory);
            var config = GptConfig.Preset(job.Request.Preset);
            var dataset = TokenDataset.Build(corpus.Documents, config.ContextLength, seed: 1);
            var settings = new TrainingConfig
            {
                MaxSteps = job.Request.Steps,
                BatchSize = job.Request.Batch,
                LearningRate = job.Request.LearningRate,
                MinLearningRate = job.Request.LearningRate / 10,
                WarmupSteps = Math.Min(10, Math.Max(0, job.Request.Steps / 10)),
                EvaluationInterval = Math.Max(1, job.Request.Steps / 6),
                CheckpointInterval = Math.Max(1, job.Request.Steps / 6),
                EvaluationWindows = 8,
            };
            using var model = new Gpt(config, seed: 1);
            var progress = new InlineProgress(p =>
            {
                job.Report(p);
                if (p.ValidationLoss is not null) Save(job); // keeps the duration close to the truth if the app dies
                Changed?.Invoke(job);
            });
            var resume = ResumePoint(job);
            var result = new LanguageModelTrainer(settings).Train(model, dataset, job.Directory, progress, resume, ct);
            job.Status = TrainingJobStatus.Completed;
            var continued = job.ResumedFromStep is { } from ? $"Continued after a restart from step {from}. " : "";
            job.Message = continued + $"Finished at step {result.Step}: train loss {result.LastTrainLoss:0.###}" +
                          (result.BestValidationLoss is { } v ? $", best validation loss {v:0.###} (perplexity {Math.Exp(v):0.#})." : ".") +
                          (corpus.Warnings.Count > 0 ? $" Skipped: {string.Join("; ", corpus.Warnings)}" : "");
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
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or CorpusException or CheckpointException)
        {
            job.Status = TrainingJobStatus.Failed;
            job.Message = e.Message;
            logger.LogWarning(e, "Training run {Id} failed", job.Id);
        }
        job.StopClock();
        job.FinishedUtc = DateTime.UtcNow;
        Save(job);
        Changed?.Invoke(job);
    }

    /// <summary>For a run picked up after a restart with a checkpoint on disk: true, after loading the steps already
    /// logged up to that checkpoint so the curve shows the whole run.</summary>
    private static bool ResumePoint(TrainingJob job)
    {
        var latest = Path.Combine(job.Directory, LanguageModelTrainer.LatestCheckpoint);
        if (!job.Resumed || !CheckpointStore.Exists(latest)) return false;
        var step = CheckpointStore.ReadMetadata(latest).Step;
        job.ResumedFromStep = step;
        job.Preload(RunMetrics.Read(Path.Combine(job.Directory, LanguageModelTrainer.MetricsFile), job.Request.Steps, upToStep: step));
        return true;
    }

    /// <summary>Writes the run's best checkpoint as a GGUF into Planner's models folder and makes it the active model.</summary>
    public string ExportAndUse(TrainingJob job, GgufDataType type = GgufDataType.Q8_0)
    {
        if (job.Status != TrainingJobStatus.Completed) throw new InvalidOperationException("Only a finished run can be exported.");
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

    /// <summary>Reports on the training thread itself (Progress&lt;T&gt; would post to a captured context, out of order).</summary>
    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
