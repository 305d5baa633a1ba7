using Microsoft.Extensions.Configuration;
using Planner.Files;

namespace Planner.Hosting.Hub;

/// <summary>The downloads of a long-running host (the web app): started from a page, they go on when the page is
/// left, report progress to whoever listens (<see cref="Changed"/>), and can be cancelled; a cancelled or failed one
/// is started again to resume. One download of a given file at a time.</summary>
public sealed class ModelDownloads(IConfiguration configuration, PlannerPaths paths, HubTokenStore tokens) : IDisposable
{
    private readonly Lock gate = new();
    private readonly List<DownloadJob> jobs = [];
    private int next;

    public HubTokenStore Tokens { get; } = tokens;

    public string ModelsDirectory => paths.ModelsDirectory;

    /// <summary>Raised on every progress report and status change (from a background thread).</summary>
    public event Action? Changed;

    public IReadOnlyList<DownloadJob> All
    {
        get { lock (gate) return [.. jobs]; }
    }

    /// <summary>A client for the configured hub with the saved token (or <c>HF_TOKEN</c>); the caller disposes it.</summary>
    public HubClient Client() => new(HubSettings.From(configuration, Tokens.Read()));

    /// <summary>Starts (or resumes) a download; the one already running for the same file is returned instead.</summary>
    public DownloadJob Start(string repository, string file)
    {
        HubNames.Destination(paths.ModelsDirectory, repository, file); // names checked now, so the page says what is wrong
        DownloadJob job;
        lock (gate)
        {
            if (jobs.FirstOrDefault(j => j.Status == DownloadStatus.Running && j.Repository == repository && j.File == file) is { } running) return running;
            jobs.RemoveAll(j => j.Repository == repository && j.File == file);
            job = new DownloadJob(++next, repository, file);
            jobs.Add(job);
        }
        _ = Task.Run(() => RunAsync(job));
        Changed?.Invoke();
        return job;
    }

    /// <summary>Forgets a finished download (the file, if any, stays).</summary>
    public void Dismiss(DownloadJob job)
    {
        lock (gate)
        {
            if (job.Status != DownloadStatus.Running) jobs.Remove(job);
        }
        Changed?.Invoke();
    }

    private async Task RunAsync(DownloadJob job)
    {
        try
        {
            using var hub = Client();
            var progress = new Reporter(p =>
            {
                job.Progress = p;
                Changed?.Invoke();
            });
            job.Result = await new ModelDownloader(hub, paths.ModelsDirectory).DownloadAsync(job.Repository, job.File, null, progress, job.Stopping.Token);
            job.Status = DownloadStatus.Completed;
        }
        catch (OperationCanceledException) when (job.Stopping.IsCancellationRequested)
        {
            job.Status = DownloadStatus.Cancelled;
            job.Problem = "Cancelled; what arrived is kept — download again to resume.";
        }
        catch (HubException e)
        {
            job.Status = DownloadStatus.Failed;
            job.Problem = e.Message;
        }
        catch (IOException e)
        {
            job.Status = DownloadStatus.Failed;
            job.Problem = $"The models folder could not be written: {e.Message}";
        }
        Changed?.Invoke();
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var job in jobs) job.Cancel();
        }
    }

    /// <summary>Reports on the downloading thread (Progress&lt;T&gt; would post to a context the host may not have).</summary>
    private sealed class Reporter(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
