using System.Globalization;
using Planner.Engine.Model;

namespace Planner.Hosting.Training;

/// <summary>How long a run will take: steps × batch × context tokens at a throughput measured on this machine (the
/// median tokens/s of the latest completed run of the same shape) or, before any such run, the typical figure measured
/// on a 2-core machine; plus a tenth for evaluations and checkpoints. <see cref="Source"/> says which.</summary>
public sealed record TrainingEstimate(TimeSpan Time, double TokensPerSecond, string Source)
{
    /// <summary>Typical training throughput on 2 CPU cores, from bench/Engine.Bench's runs (docs/benchmarks.md); small is a
    /// guess between.</summary>
    private static readonly Dictionary<string, (double TokensPerSecond, string Source)> Typical = new()
    {
        ["tiny"] = (367, "typical for tiny on 2 CPU cores, from the engine benchmark"),
        ["small"] = (200, "a guess for small on 2 CPU cores, between tiny's and gpt2's benchmarked speeds"),
        ["gpt2"] = (97, "typical for the 124M gpt2 shape on 2 CPU cores, from the engine benchmark"),
    };

    public static TrainingEstimate For(TrainingRequest request, GptConfig config, IEnumerable<TrainingJob> history)
    {
        var measured = history
            .Where(j => j.Status == TrainingJobStatus.Completed && j.Request.Task == request.Task && j.Request.BaseModel is null == request.BaseModel is null
                        && j.Request.Preset == request.Preset && (j.Request.Layers, j.Request.Heads, j.Request.Width) == (request.Layers, request.Heads, request.Width)
                        && (j.Request.Context ?? GptConfig.Preset(j.Request.Preset).ContextLength) == config.ContextLength)
            .OrderByDescending(j => j.Id)
            .Select(j => (j.Id, Speeds: j.Progress.Select(p => p.TokensPerSecond).Where(t => t > 0 && double.IsFinite(t)).Order().ToList()))
            .FirstOrDefault(r => r.Speeds.Count > 0);
        var (speed, source) = measured.Speeds is { Count: > 0 } speeds
            ? (speeds[speeds.Count / 2], $"measured in run {measured.Id} on this machine")
            : Typical.GetValueOrDefault(config.Embedding >= 768 ? "gpt2" : request.Preset, Typical["tiny"]);
        var tokens = (double)request.StepsOrDefault * request.BatchOrDefault * config.ContextLength;
        return new TrainingEstimate(TimeSpan.FromSeconds(tokens / speed * 1.1), speed, source);
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"about {Minutes(Time)} at {TokensPerSecond:N0} tokens/s ({Source})");

    private static string Minutes(TimeSpan t) => t.TotalMinutes < 1 ? "1 minute or less"
        : t.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalHours:0.#} hours")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(t.TotalMinutes):0} minutes");
}
