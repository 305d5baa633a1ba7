using System.Diagnostics;
using Planner.Telemetry;

namespace Planner.Llm;

/// <summary>Traces and measures one generation of the local model: an "llm.generate" activity, prompt and completion
/// tokens, time to first token and duration. Disposed when the generation ends, however it ends.</summary>
internal sealed class GenerationTelemetry : IDisposable
{
    private readonly Activity? activity;
    private readonly KeyValuePair<string, object?> model;
    private readonly long started = Stopwatch.GetTimestamp();
    private int completion;

    public GenerationTelemetry(string modelFile, int promptTokens)
    {
        model = new(PlannerTelemetry.ModelTag, modelFile);
        activity = PlannerTelemetry.Source.StartActivity("llm.generate");
        activity?.SetTag(PlannerTelemetry.ModelTag, modelFile);
        activity?.SetTag("planner.llm.prompt_tokens", promptTokens);
        PlannerTelemetry.LlmTokens.Add(promptTokens, model, new(PlannerTelemetry.TokenTypeTag, "prompt"));
    }

    public void Token()
    {
        if (completion++ > 0) return;
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        PlannerTelemetry.LlmTimeToFirstToken.Record(seconds, model);
        activity?.AddEvent(new ActivityEvent("first token"));
    }

    public void Dispose()
    {
        PlannerTelemetry.LlmTokens.Add(completion, model, new(PlannerTelemetry.TokenTypeTag, "completion"));
        PlannerTelemetry.LlmGenerationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, model);
        activity?.SetTag("planner.llm.completion_tokens", completion);
        activity?.Dispose();
    }
}
