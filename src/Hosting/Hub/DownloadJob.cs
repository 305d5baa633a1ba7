namespace Planner.Hosting.Hub;

/// <summary>One download started from the app, followed by every page that shows it.</summary>
public sealed class DownloadJob(int id, string repository, string file)
{
    public int Id { get; } = id;
    public string Repository { get; } = repository;
    public string File { get; } = file;
    public DownloadStatus Status { get; internal set; } = DownloadStatus.Running;
    public DownloadProgress? Progress { get; internal set; }
    public string? Problem { get; internal set; }
    public DownloadResult? Result { get; internal set; }
    internal CancellationTokenSource Stopping { get; } = new();

    /// <summary>Stops the download; what arrived is kept for the next one to resume.</summary>
    public void Cancel() => Stopping.Cancel();
}

public enum DownloadStatus
{
    Running,
    Completed,
    Failed,
    Cancelled,
}
