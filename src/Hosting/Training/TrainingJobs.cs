using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Planner.Engine.Data;
using Planner.Engine.Training;
using Planner.Files;
using Planner.Telemetry;

namespace Planner.Hosting.Training;

/// <summary>The queue of training runs of a long-running host: one at a time on this machine (later requests wait in
/// order, visibly); runs continue when the browser goes away; pages subscribe to <see cref="Changed"/> for live
/// progress. Each run is a <see cref="TrainingRun"/> in its own folder, its state kept in run.json
/// (<see cref="RunStateFile"/>), so after a restart — even a crash — unfinished runs are queued again and continue from
/// their last checkpoint.
/// <para>Several instances of the app may share one data directory (web apps on one PostgreSQL): each run is trained
/// by whichever takes its <see cref="RunLease"/> first, so a queued run runs once; each instance looks at the runs
/// folder every <see cref="LookAroundInterval"/> for runs the others queued, trained or finished, shows them, and
/// continues a run whose instance stopped (its lease let go) from the last checkpoint.</para></summary>
public sealed class TrainingJobs(PlannerPaths paths, ModelExport export, ILogger<TrainingJobs> logger) : BackgroundService
{
    /// <summary>A file in a run's folder asking whichever instance trains it to stop (a cancel from another instance).</summary>
    internal const string CancelRequestName = "cancel-requested";

    private readonly Channel<TrainingJob> queue = Channel.CreateUnbounded<TrainingJob>();
    private readonly List<TrainingJob> jobs = [];
    private readonly Lock gate = new();
    private readonly Dictionary<string, DateTime> lastSeen = [];
    private TrainingJob? current;
    private int nextId;

    /// <summary>How often the runs folder is read for what other instances sharing it did; zero: never (one instance).</summary>
    public TimeSpan LookAroundInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Raised (on a background thread) whenever a job changes: queued, progressed, finished, exported.</summary>
    public event Action<TrainingJob>? Changed;

    public IReadOnlyList<TrainingJob> All
    {
        get { lock (gate) return [.. jobs]; }
    }

    public string RunsDirectory => Path.Combine(paths.DataDirectory, "runs");

    /// <summary>Queues a run after checking its settings, data and base model (an <see cref="ArgumentException"/> says
    /// what is wrong). The chosen files are copied into the run's folder.</summary>
    public TrainingJob Enqueue(TrainingRequest request)
    {
        if (request.Problems() is { Count: > 0 } problems) throw new ArgumentException(string.Join(" ", problems));
        if (TrainingCorpus.Problem(request) is { } problem) throw new ArgumentException(problem);
        TrainingJob job;
        lock (gate)
        {
            // Numbered after every run in the folder, whichever instance made it, one instance at a time.
            Directory.CreateDirectory(RunsDirectory);
            using var numbering = TakeNumberingLease();
            var id = nextId = Math.Max(nextId, HighestIdOnDisk()) + 1;
            var directory = Path.Combine(RunsDirectory, $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{id}");
            Directory.CreateDirectory(directory);
            job = new TrainingJob(id, CopyData(request, new RunFolder(directory)), directory);
            jobs.Add(job);
            RunStateFile.Save(job);
            lastSeen[directory] = RunStateFile.LastChangeUtc(directory);
        }
        Changed?.Invoke(job);
        queue.Writer.TryWrite(job);
        return job;
    }

    /// <summary>The request reading its own copy of the chosen files (run/data/), so deleting a document from the library
    /// or a restart does not change what the run trains on.</summary>
    private static TrainingRequest CopyData(TrainingRequest request, RunFolder run)
    {
        if (request.Files.Count == 0) return request;
        Directory.CreateDirectory(run.Data);
        var copies = request.Files.Select((file, index) =>
        {
            var copy = Path.Combine(run.Data, $"{index + 1:D3}-{Path.GetFileName(file)}");
            File.Copy(file, copy, overwrite: true);
            return copy;
        }).ToList();
        return request with { Files = copies };
    }

    /// <summary>The runs folder's own lease, held while a run is numbered and its folder made; waits (briefly) for
    /// another instance numbering at the same moment.</summary>
    private RunLease TakeNumberingLease()
    {
        for (var attempt = 0; ; attempt++)
        {
            if (RunLease.TryTake(RunsDirectory) is { } lease) return lease;
            if (attempt == 500) throw new IOException($"Another instance keeps {Path.Combine(RunsDirectory, PlannerPaths.RunLeaseFileName)} locked: no run was queued.");
            Thread.Sleep(10);
        }
    }

    private int HighestIdOnDisk() =>
        Directory.GetDirectories(RunsDirectory)
            .Select(dir => Path.GetFileName(dir) is { } name && int.TryParse(name[(name.LastIndexOf('-') + 1)..], out var id) ? id : 0)
            .DefaultIfEmpty(0)
            .Max();

    public int PositionInQueue(TrainingJob job)
    {
        lock (gate) return jobs.Where(j => j.Status == TrainingJobStatus.Queued).ToList().IndexOf(job) + 1;
    }

    public void Cancel(TrainingJob job)
    {
        if (job.Elsewhere)
        {
            // The instance training it stops at its next step when it sees the request.
            AtomicFile.WriteAllBytes(Path.Combine(job.Directory, CancelRequestName), []);
            job.Message = "Cancel asked of the instance training it.";
            Changed?.Invoke(job);
            return;
        }
        job.Cancellation.Cancel();
        if (job.Status != TrainingJobStatus.Queued) return;
        job.Status = TrainingJobStatus.Cancelled;
        job.Message = "Cancelled before it started.";
        Saved(job);
    }

    /// <summary>True for a cancelled or failed run with a whole checkpoint to continue from (after a full disk was
    /// cleared, or a cancel regretted).</summary>
    public static bool CanResume(TrainingJob job) =>
        job.Status is TrainingJobStatus.Cancelled or TrainingJobStatus.Failed && job.Folder.CanResume;

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
        Saved(again);
        queue.Writer.TryWrite(again);
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

    /// <summary>Writes a finished language model's best checkpoint as a GGUF into Planner's models folder and makes it
    /// the active model.</summary>
    public string ExportAndUse(TrainingJob job, ModelFileType type = ModelFileType.Q8_0)
    {
        if (job.Status != TrainingJobStatus.Completed) throw new InvalidOperationException("Only a finished run can be exported.");
        if (job.Request.Task != TrainingTask.LanguageModel)
            throw new InvalidOperationException("A review classifier is not a GGUF model: it is used from the Roadmap's Evidence tab as it is.");
        job.ExportedModel = export.ExportAndUse(job.Folder, type);
        Saved(job);
        return job.ExportedModel;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var job in RunStateFile.ReadAll(RunsDirectory, logger))
        {
            lock (gate)
            {
                jobs.Add(job);
                nextId = Math.Max(nextId, job.Id);
                lastSeen[job.Directory] = RunStateFile.LastChangeUtc(job.Directory);
            }
            if (job.Status == TrainingJobStatus.Queued) queue.Writer.TryWrite(job);
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lookingAround = LookAroundAsync(stoppingToken);
        try
        {
            await foreach (var job in queue.Reader.ReadAllAsync(stoppingToken))
            {
                if (job.Status != TrainingJobStatus.Queued) continue;
                // Another instance may have taken it meanwhile: the lease decides, and its state on disk says how far it got.
                RunLease? lease;
                TrainingJob? claimed;
                lock (gate)
                {
                    lease = RunLease.TryTake(job.Directory);
                    claimed = lease is null ? null : Claim(job);
                }
                using (lease)
                {
                    if (claimed is null) continue;
                    try
                    {
                        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, claimed.Cancellation.Token);
                        // TorchSharp work is CPU-bound and synchronous: give it its own thread, not the request pool.
                        await Task.Factory.StartNew(() => Run(claimed, linked.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                    }
                    finally
                    {
                        lock (gate) current = null;
                    }
                }
            }
        }
        finally
        {
            await lookingAround;
        }
    }

    /// <summary>With the run's lease held (and the gate): the job to train here, as its state on disk now says — it may
    /// have been finished, or half trained, by another instance since it was queued here; null when there is nothing to
    /// train.</summary>
    private TrainingJob? Claim(TrainingJob queued)
    {
        if (!jobs.Contains(queued)) return null; // replaced by what another instance did, or deleted
        File.Delete(Path.Combine(queued.Directory, CancelRequestName));
        if (RunStateFile.Read(queued.Directory, logger, leaseHeldHere: true) is not { } onDisk) return null;
        if (onDisk.Status != TrainingJobStatus.Queued)
        {
            Replace(queued, onDisk); // finished elsewhere meanwhile
            return null;
        }
        // Started by an instance that stopped before finishing it: continue from its checkpoint.
        var run = !queued.Resumed && queued.Folder.CanResume ? onDisk : queued;
        if (run != queued) Replace(queued, run);
        current = run;
        return run;
    }

    /// <summary>Every <see cref="LookAroundInterval"/>: what other instances sharing the data directory did to the runs.</summary>
    private async Task LookAroundAsync(CancellationToken ct)
    {
        if (LookAroundInterval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(LookAroundInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    LookAround();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
                {
                    // A folder changing under the look (another instance deleting a run, a full disk): look again next time.
                    logger.LogWarning(e, "Reading the runs folder for other instances' runs failed; trying again in {Interval}", LookAroundInterval);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the app is stopping
        }
    }

    /// <summary>Reads the runs folder once: runs another instance queued, started, advanced, finished or deleted are
    /// shown as they now are; one queued there, or one whose instance stopped while training it (its lease let go),
    /// is queued here too (whichever instance takes its lease first trains it).</summary>
    internal void LookAround()
    {
        if (!Directory.Exists(RunsDirectory)) return;
        var directories = Directory.GetDirectories(RunsDirectory).ToHashSet();
        var arrived = new List<TrainingJob>();
        lock (gate)
        {
            foreach (var gone in jobs.Where(j => j != current && !directories.Contains(j.Directory)).ToList())
            {
                jobs.Remove(gone);
                arrived.Add(gone);
            }
            foreach (var directory in directories)
            {
                var known = jobs.FirstOrDefault(j => j.Directory == directory);
                if (known is not null && known == current) continue;
                var changed = RunStateFile.LastChangeUtc(directory);
                var orphaned = known is { Elsewhere: true } && !RunLease.IsHeld(directory);
                if (known is not null && !orphaned && lastSeen.TryGetValue(directory, out var seen) && seen == changed) continue;
                lastSeen[directory] = changed;
                if (RunStateFile.Read(directory, logger) is not { } fresh) continue;
                if (known is { Status: TrainingJobStatus.Queued, Elsewhere: false } && fresh.Status == TrainingJobStatus.Queued) continue; // waiting here already
                if (known is null)
                {
                    jobs.Add(fresh);
                    nextId = Math.Max(nextId, fresh.Id);
                }
                else Replace(known, fresh);
                arrived.Add(fresh);
                if (fresh.Status == TrainingJobStatus.Queued) queue.Writer.TryWrite(fresh);
            }
            jobs.Sort((a, b) => a.Id.CompareTo(b.Id));
        }
        foreach (var job in arrived) Changed?.Invoke(job);
    }

    /// <summary>Puts <paramref name="fresh"/> where <paramref name="stale"/> was listed (callers hold the gate).</summary>
    private void Replace(TrainingJob stale, TrainingJob fresh)
    {
        var at = jobs.IndexOf(stale);
        if (at >= 0) jobs[at] = fresh;
        else jobs.Add(fresh);
    }

    private void Run(TrainingJob job, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["TrainingRun"] = job.Id });
        using var activity = PlannerTelemetry.Source.StartActivity("training.run");
        activity?.SetTag("planner.training.run", job.Id);
        logger.LogInformation("Training run {Id} started: preset {Preset}, {Steps}, batch {Batch}", job.Id, job.Request.Preset,
            job.Request.StepsText, job.Request.Batch?.ToString(CultureInfo.InvariantCulture) ?? (job.Request.Task == TrainingTask.Classifier ? "from the data" : job.Request.BatchOrDefault.ToString(CultureInfo.InvariantCulture)));
        job.Status = TrainingJobStatus.Running;
        job.StartClock();
        Saved(job);
        try
        {
            job.Message = Execute(job, ct);
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
            RunStateFile.Save(job);
            return;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or CorpusException or CheckpointException
                                       or TrainingDivergedException or System.Runtime.InteropServices.ExternalException)
        {
            // ExternalException: libtorch's own errors (out of memory on a GPU, say) fail the run, not the app.
            job.Status = TrainingJobStatus.Failed;
            job.Message = e.Message;
            logger.LogWarning(e, "Training run {Id} failed", job.Id);
        }
        job.StopClock();
        job.FinishedUtc = DateTime.UtcNow;
        logger.LogInformation("Training run {Id} {Status}: {Message}", job.Id, job.Status, job.Message);
        activity?.SetTag("planner.training.status", job.Status.ToString());
        Saved(job);
        if (job.Status == TrainingJobStatus.Completed && job.Request.ExportWhenDone) ExportQuietly(job);
    }

    /// <summary>Runs the job's <see cref="TrainingRun"/>, recording what it reports on the job; returns the sentence that ends it.</summary>
    private string Execute(TrainingJob job, CancellationToken ct)
    {
        // Picked up after a restart, or resumed, with a checkpoint on disk: continue from it.
        var resume = job.Resumed && job.Folder.CanResume;
        var observer = new TrainingObserver
        {
            Phase = text =>
            {
                job.Phase = text;
                Changed?.Invoke(job);
            },
            Started = start =>
            {
                job.Phase = null;
                job.DataUsed = start.DataUsed;
                job.Precision = start.Precision is { } precision ? precision.Describe() + (precision.Warning is { } slow ? $": {slow}" : "") : null;
                if (start.ResumedFromStep is { } step)
                {
                    // The steps already logged up to that checkpoint, so the curve shows the whole run.
                    job.ResumedFromStep = step;
                    job.Preload(job.Folder.ReadMetrics(job.Request.StepsOrDefault, upToStep: step));
                }
                Saved(job);
            },
            Sample = job.AddSample,
            Step = p =>
            {
                if (File.Exists(Path.Combine(job.Directory, CancelRequestName))) job.Cancellation.Cancel(); // asked from another instance
                job.Report(p);
                if (p.ValidationLoss is not null) RunStateFile.Save(job); // keeps the duration close to the truth if the app dies
                Changed?.Invoke(job);
            },
            Report = report =>
            {
                job.EvaluationReport = report;
                Saved(job);
            },
        };
        var outcome = TrainingRun.Execute(job.Request, job.Folder, resume, observer, ct);
        var resumed = job.ResumedFromStep is { } from
            ? job.ResumedByFounder ? $"Resumed from step {from}. " : $"Continued after a restart from step {from}. "
            : "";
        return resumed + outcome.Summary;
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
            Saved(job);
            logger.LogWarning(e, "Exporting run {Id} failed", job.Id);
        }
    }

    /// <summary>Writes the job's state and tells the pages.</summary>
    private void Saved(TrainingJob job)
    {
        RunStateFile.Save(job);
        lock (gate) lastSeen[job.Directory] = RunStateFile.LastChangeUtc(job.Directory); // not news to read back
        Changed?.Invoke(job);
    }
}
