using Planner.Engine.Training;

namespace Planner.Hosting.Training;

/// <summary>What a host wants to hear from a run as it goes: each callback runs on the training thread, in order.</summary>
public sealed class TrainingObserver
{
    /// <summary>A file of the data that could not be read and was skipped, as soon as it is found.</summary>
    public Action<string>? Skipped { get; init; }

    /// <summary>Once the data and model are ready: what the run trains on and from.</summary>
    public Action<TrainingStart>? Started { get; init; }

    /// <summary>What the run is doing before its own steps start — domain-adaptive pretraining's steps — as it goes;
    /// each call replaces the last.</summary>
    public Action<string>? Phase { get; init; }

    /// <summary>After every optimizer step (validation numbers on evaluation steps).</summary>
    public Action<TrainingProgress>? Step { get; init; }

    /// <summary>A language model's continuation of a held-out prompt, at each evaluation.</summary>
    public Action<GenerationSample>? Sample { get; init; }

    /// <summary>The evaluation report: its "before" half as soon as it is measured, then the whole.</summary>
    public Action<EvaluationReport>? Report { get; init; }

    /// <summary>The same callbacks, with the run's precision added to what <see cref="Started"/> hears.</summary>
    internal TrainingObserver WithPrecision(PrecisionChoice precision) => new()
    {
        Skipped = Skipped,
        Phase = Phase,
        Started = Started is { } started ? start => started(start with { Precision = precision }) : null,
        Step = Step,
        Sample = Sample,
        Report = Report,
    };
}
