using System.Text;
using Planner.Llm;
using Planner.Scheduling;
using Planner.Telemetry;

namespace Planner.Tests.Telemetry;

public class PlannerTelemetryTests
{
    [Fact]
    public async Task A_generation_records_its_tokens_time_to_first_token_and_its_place_in_the_queue()
    {
        using var runtime = new LanguageModelRuntime(new ModelRegistry([Path.GetDirectoryName(TinyModel.File)!]));
        runtime.Choose(TinyModel.File, new ModelSettings { Seed = 3, Temperature = 0.8 });
        const string prompt = "Customers keep asking for";
        var (_, promptTokens) = await runtime.MeasureAsync(prompt);

        using var recorder = new TelemetryRecorder();
        var text = new StringBuilder();
        await foreach (var piece in runtime.StreamAsync(prompt, new GenerationOptions { MaxTokens = 8 })) text.Append(piece);

        Assert.Equal([(double)promptTokens], recorder.Values("planner.llm.tokens", PlannerTelemetry.TokenTypeTag, "prompt"));
        var completion = Assert.Single(recorder.Values("planner.llm.tokens", PlannerTelemetry.TokenTypeTag, "completion"));
        Assert.InRange(completion, 1, 8);
        var firstToken = Assert.Single(recorder.Values("planner.llm.time_to_first_token"));
        var duration = Assert.Single(recorder.Values("planner.llm.generation.duration"));
        Assert.InRange(firstToken, double.Epsilon, duration);
        Assert.All(recorder.Tags("planner.llm.time_to_first_token"), tags => Assert.Contains(new(PlannerTelemetry.ModelTag, "tiny.gguf"), tags));
        // One request: it joins the queue, gets its turn at once, and leaves it.
        Assert.Equal([1.0, -1.0], recorder.Values("planner.llm.queue.length"));
        Assert.Single(recorder.Values("planner.llm.queue.wait"));

        var trace = Assert.Single(recorder.Stopped("llm.generate"));
        Assert.Equal((int)completion, trace.GetTagItem("planner.llm.completion_tokens"));
        Assert.Contains(trace.Events, e => e.Name == "first token");
    }

    [Fact]
    public void A_schedule_records_its_solve_time_method_and_status()
    {
        using var recorder = new TelemetryRecorder();
        var schedule = new CpSatScheduler().Schedule(Samples.Sample(), new SchedulerOptions { TimeLimit = TimeSpan.FromSeconds(2), Workers = 2 });

        var seconds = Assert.Single(recorder.Values("planner.scheduling.solve.duration"));
        Assert.Equal(schedule.SolveTime.TotalSeconds, seconds);
        Assert.True(seconds > 0);
        var tags = Assert.Single(recorder.Tags("planner.scheduling.solve.duration"));
        Assert.Contains(new(PlannerTelemetry.MethodTag, schedule.Method), tags);
        Assert.Contains(new(PlannerTelemetry.StatusTag, schedule.Status.ToString()), tags);
        var trace = Assert.Single(recorder.Stopped("scheduling.solve"));
        Assert.Equal(Samples.Sample().Initiatives.Count, trace.GetTagItem("planner.scheduling.initiatives"));
    }
}
