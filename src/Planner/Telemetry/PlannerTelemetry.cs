using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Planner.Telemetry;

/// <summary>Planner's traces and metrics, with System.Diagnostics only: nothing is collected unless a host listens
/// (the web app exports them through OpenTelemetry when configured to; tests listen in process). Instrument names
/// follow OpenTelemetry's conventions; durations are in seconds.</summary>
public static class PlannerTelemetry
{
    /// <summary>The name of both the activity source and the meter.</summary>
    public const string Name = "Planner";

    public const string ModelTag = "planner.model";
    public const string TokenTypeTag = "planner.llm.token.type";
    public const string MethodTag = "planner.scheduling.method";
    public const string StatusTag = "planner.scheduling.status";
    public const string TrainingKindTag = "planner.training.kind";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> LlmTokens = Meter.CreateCounter<long>(
        "planner.llm.tokens", "{token}", "Tokens the local model read (type=prompt) and generated (type=completion).");

    public static readonly Histogram<double> LlmTimeToFirstToken = Meter.CreateHistogram<double>(
        "planner.llm.time_to_first_token", "s", "From the start of a generation (prompt evaluation included) to its first token.");

    public static readonly Histogram<double> LlmGenerationDuration = Meter.CreateHistogram<double>(
        "planner.llm.generation.duration", "s", "One generation of the local model, first to last token.");

    public static readonly UpDownCounter<long> LlmQueueLength = Meter.CreateUpDownCounter<long>(
        "planner.llm.queue.length", "{request}", "Requests waiting for their turn on the local model.");

    public static readonly Histogram<double> LlmQueueWait = Meter.CreateHistogram<double>(
        "planner.llm.queue.wait", "s", "How long a request waited for its turn on the local model.");

    public static readonly Histogram<double> TrainingStepDuration = Meter.CreateHistogram<double>(
        "planner.training.step.duration", "s", "One optimiser step of a training run (evaluation and checkpoints excluded).");

    public static readonly Histogram<double> SchedulingSolveDuration = Meter.CreateHistogram<double>(
        "planner.scheduling.solve.duration", "s", "Computing one schedule (heuristic and CP-SAT together).");
}
