using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Planner.Telemetry;

namespace Planner.Tests.Telemetry;

/// <summary>Listens in process to Planner's activities and measurements, keeping only those of this test's own
/// trace (a root activity started here): tests running in parallel record into the same static instruments.</summary>
internal sealed class TelemetryRecorder : IDisposable
{
    private const string TestSourceName = "Planner.Tests.Telemetry";
    private static readonly ActivitySource TestSource = new(TestSourceName);
    private readonly ActivityListener activities;
    private readonly MeterListener meters = new();
    private readonly Activity root;
    private readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> measurements = new();
    private readonly ConcurrentQueue<Activity> stopped = new();

    public TelemetryRecorder()
    {
        activities = new ActivityListener
        {
            // By name: the test source may be created during this listener's registration, under its callbacks.
            ShouldListenTo = source => source.Name is PlannerTelemetry.Name or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { if (activity.TraceId == root?.TraceId) stopped.Enqueue(activity); },
        };
        ActivitySource.AddActivityListener(activities);
        root = TestSource.StartActivity("test") ?? throw new InvalidOperationException("The test activity was not sampled.");
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == PlannerTelemetry.Meter) listener.EnableMeasurementEvents(instrument);
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        meters.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Activity.Current?.TraceId == root.TraceId) measurements.Enqueue((instrument.Name, value, tags.ToArray()));
    }

    /// <summary>The values recorded on <paramref name="instrument"/>, in order, optionally only those with a tag.</summary>
    public List<double> Values(string instrument, string? tag = null, object? tagValue = null) =>
        [.. measurements.Where(m => m.Instrument == instrument && (tag is null || m.Tags.Contains(new(tag, tagValue)))).Select(m => m.Value)];

    public List<KeyValuePair<string, object?>[]> Tags(string instrument) =>
        [.. measurements.Where(m => m.Instrument == instrument).Select(m => m.Tags)];

    public IReadOnlyList<Activity> Stopped(string operation) => [.. stopped.Where(a => a.OperationName == operation)];

    public void Dispose()
    {
        meters.Dispose();
        root.Dispose();
        activities.Dispose();
    }
}
