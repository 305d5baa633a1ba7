using System.Diagnostics;
using Planner.Engine.Training;

namespace Planner.Hosting.Training;

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
    private Stopwatch? clock;

    public int Id { get; } = id;
    public TrainingRequest Request { get; } = request;
    public string Directory { get; } = directory;

    /// <summary>The run's folder: checkpoints, metrics, report, state and its copy of the data.</summary>
    public RunFolder Folder => new(Directory);
    public TrainingJobStatus Status { get; internal set; } = TrainingJobStatus.Queued;
    public string? Message { get; internal set; }
    public string? ExportedModel { get; internal set; }
    public DateTime CreatedUtc { get; internal init; } = DateTime.UtcNow;
    public DateTime? FinishedUtc { get; internal set; }

    /// <summary>True when this run continues from its last checkpoint: picked up after the app restarted, or resumed.</summary>
    public bool Resumed { get; } = resumed;

    /// <summary>True for a run another instance of the app (sharing this data directory) is training: shown as it last
    /// saved it, read again as it changes, continued here if that instance stops.</summary>
    public bool Elsewhere { get; internal init; }

    /// <summary>True when the founder pressed Resume on a cancelled or failed run (false: picked up after a restart).</summary>
    public bool ResumedByFounder { get; internal init; }

    /// <summary>The checkpoint step a resumed run continued from; null for a run that started from the beginning.</summary>
    public long? ResumedFromStep { get; internal set; }

    internal CancellationTokenSource Cancellation { get; } = new();

    /// <summary>What the run trained on, counted when it started (documents or examples, tokens, the held-out part).</summary>
    public string? DataUsed { get; internal set; }

    /// <summary>What a running job does before its own steps start (domain-adaptive pretraining's progress); null once
    /// they start.</summary>
    public string? Phase { get; internal set; }

    /// <summary>The precision the run trains in and why, with a warning when it is slow on this machine
    /// ("float32 (auto: this CPU has no AVX-512 BF16 or AMX)"); null until it starts.</summary>
    public string? Precision { get; internal set; }

    /// <summary>The evaluation report: the "before" half as soon as it is measured, complete when the run completes.</summary>
    public EvaluationReport? EvaluationReport { get; internal set; }

    /// <summary>Sample generations of a language model, one per evaluation.</summary>
    public IReadOnlyList<GenerationSample> Samples
    {
        get { lock (gate) return [.. samples]; }
        internal init { samples.AddRange(value); }
    }

    private readonly List<GenerationSample> samples = [];

    internal void AddSample(GenerationSample sample)
    {
        lock (gate) samples.Add(sample);
    }

    /// <summary>Training time, summed over every session of the app that worked on it (downtime is not counted).</summary>
    public TimeSpan Duration
    {
        get { lock (gate) return TimeSpan.FromSeconds(SecondsBefore + (clock?.Elapsed.TotalSeconds ?? 0)); }
    }

    internal double SecondsBefore { get; set; }

    internal void StartClock()
    {
        lock (gate) clock = Stopwatch.StartNew();
    }

    internal void StopClock()
    {
        lock (gate)
        {
            SecondsBefore += clock?.Elapsed.TotalSeconds ?? 0;
            clock = null;
        }
    }

    public IReadOnlyList<TrainingProgress> Progress
    {
        get { lock (gate) return [.. progress]; }
    }

    public TrainingProgress? Latest
    {
        get { lock (gate) return progress.Count == 0 ? null : progress[^1]; }
    }

    /// <summary>The last report with validation numbers: the run's latest loss, perplexity or accuracy.</summary>
    public TrainingProgress? LastEvaluation
    {
        get { lock (gate) return progress.LastOrDefault(p => p.ValidationLoss is not null); }
    }

    internal void Report(TrainingProgress p)
    {
        lock (gate) progress.Add(p);
    }

    /// <summary>Replaces the progress with what the run's metrics log holds (an earlier session's steps).</summary>
    internal void Preload(IEnumerable<TrainingProgress> earlier)
    {
        lock (gate)
        {
            progress.Clear();
            progress.AddRange(earlier);
        }
    }

    public bool Finished => Status is TrainingJobStatus.Completed or TrainingJobStatus.Cancelled or TrainingJobStatus.Failed;
}
