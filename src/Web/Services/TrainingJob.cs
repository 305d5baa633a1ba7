using Planner.Engine.Training;

namespace Planner.Web.Services;

public enum TrainingJobStatus
{
    Queued,
    Running,
    Completed,
    Cancelled,
    Failed,
}

/// <summary>One training run as the page shows it: settings, status, every progress report, and where its files are.</summary>
public sealed class TrainingJob(int id, TrainingRequest request, string directory, bool resumed = false)
{
    private readonly List<TrainingProgress> progress = [];
    private readonly Lock gate = new();

    public int Id { get; } = id;
    public TrainingRequest Request { get; } = request;
    public string Directory { get; } = directory;
    public TrainingJobStatus Status { get; internal set; } = TrainingJobStatus.Queued;
    public string? Message { get; internal set; }
    public string? ExportedModel { get; internal set; }
    public DateTime CreatedUtc { get; } = DateTime.UtcNow;

    /// <summary>True when this run was picked up again after the app restarted (it continues from its last checkpoint).</summary>
    public bool Resumed { get; } = resumed;
    internal CancellationTokenSource Cancellation { get; } = new();

    public IReadOnlyList<TrainingProgress> Progress
    {
        get { lock (gate) return [.. progress]; }
    }

    public TrainingProgress? Latest
    {
        get { lock (gate) return progress.Count == 0 ? null : progress[^1]; }
    }

    internal void Report(TrainingProgress p)
    {
        lock (gate) progress.Add(p);
    }

    public bool Finished => Status is TrainingJobStatus.Completed or TrainingJobStatus.Cancelled or TrainingJobStatus.Failed;
}
