using System.Diagnostics;
using System.Globalization;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;

namespace Planner.Llm;

/// <summary>How many threads a loaded model decodes each new token with, and why: set by the founder, or measured at
/// load. Measured because the best count depends on the model and the machine together: a step of a small model is so
/// short that the threads' synchronisation costs more than the work they share (the tiny and small presets decoded
/// faster on one thread than on two, on two cores), while a larger one is bound by memory, which more threads read faster
/// (docs/benchmarks.md, "Engine: decoding near the memory roofline").</summary>
/// <param name="Threads">The count used for every single-token step.</param>
/// <param name="Measured">Tokens per second of each count tried, from its median step; empty when nothing was measured.</param>
/// <param name="Reason">Why this count, in words.</param>
public sealed record DecodeThreadChoice(int Threads, IReadOnlyList<DecodeThreadRate> Measured, string Reason)
{
    /// <summary>A count within this share of the fastest is as good as it: the difference is within what two
    /// measurements of the same count differ by, and the fewer threads leave a core to the rest of the app.</summary>
    public const double Tolerance = 0.05;

    /// <summary>Single-token steps are timed in short turns, each count in its turn (every other pass in reverse order),
    /// so that a neighbour's burst of work on a shared machine falls on every count alike; after a change of count one
    /// step is not timed (the threads wake). A count's speed is its median step: a burst that slows a few steps moves it
    /// little. Measuring stops once every count left has <see cref="FewestSteps"/> timed steps and <see cref="Enough"/>
    /// time has passed, or at <see cref="MostSteps"/> each, or after a pass past <see cref="Ceiling"/>: a small model's step
    /// takes a millisecond, a large one's on one thread can take hundreds.</summary>
    internal const int StepsPerTurn = 4;
    internal const int FewestSteps = 12;
    internal const int MostSteps = 64;
    internal static readonly TimeSpan Enough = TimeSpan.FromMilliseconds(120);
    internal static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(2);

    /// <summary>Once it has <see cref="FewestSteps"/> steps, a count whose median step is slower than the fastest's by
    /// more than this share is not measured further (it would not come within <see cref="Tolerance"/>).</summary>
    private const double Behind = 0.2;

    /// <summary>How long the measuring took (zero when nothing was measured).</summary>
    public TimeSpan Measuring { get; init; }

    public static DecodeThreadChoice Set(int threads) => new(threads, [], "set in the model's settings");

    /// <summary>One, two, four, … up to <paramref name="most"/>, and <paramref name="most"/> itself.</summary>
    public static IReadOnlyList<int> Candidates(int most)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(most, 1);
        var counts = new List<int>();
        for (var n = 1; n < most; n *= 2) counts.Add(n);
        counts.Add(most);
        return counts;
    }

    /// <summary>The fewest threads whose rate is within <see cref="Tolerance"/> of the fastest measured.</summary>
    public static DecodeThreadChoice Choose(IReadOnlyList<DecodeThreadRate> measured)
    {
        if (measured.Count == 0) throw new ArgumentException("Nothing was measured.", nameof(measured));
        var fastest = measured.MaxBy(m => m.TokensPerSecond)!;
        var chosen = measured.Where(m => m.TokensPerSecond >= (1 - Tolerance) * fastest.TokensPerSecond).MinBy(m => m.Threads)!;
        var reason = chosen == fastest
            ? "the fastest measured at load"
            : string.Create(CultureInfo.InvariantCulture, $"within {Tolerance:P0} of the fastest measured at load ({fastest.Threads}), with fewer threads");
        return new DecodeThreadChoice(chosen.Threads, [.. measured.OrderBy(m => m.Threads)], reason);
    }

    /// <summary>Times single-token steps with each candidate count on a context of its own, in turns
    /// (<see cref="StepsPerTurn"/>), and chooses (<see cref="Choose"/>). Runs on the model's decode thread, as its
    /// generations will. Every turn decodes at the same positions just after a short prompt.</summary>
    internal static DecodeThreadChoice Measure(LLamaWeights weights, ModelParams parameters, int most)
    {
        var started = Stopwatch.GetTimestamp();
        var candidates = Candidates(most);
        if (candidates.Count == 1) return new DecodeThreadChoice(most, [], "one thread is all there is");
        var prompt = weights.Tokenize("The roadmap is", false, false, Encoding.UTF8);
        if (prompt.Length == 0 || prompt.Length + StepsPerTurn + 1 >= (int)(parameters.ContextSize ?? 0))
            return new DecodeThreadChoice(most, [], "the model's context is too short to measure in");
        using var llama = new LLamaContext(weights, parameters);
        var batch = new LLamaBatch();
        for (var i = 0; i < prompt.Length; i++) batch.Add(prompt[i], i, LLamaSeqId.Zero, i == prompt.Length - 1);
        Decode(llama, batch);
        var steps = candidates.ToDictionary(n => n, _ => new List<double>());
        var racing = candidates.ToList();
        var clock = Stopwatch.StartNew();
        for (var pass = 0; racing.Count > 1 && !(racing.All(n => steps[n].Count >= FewestSteps) && clock.Elapsed >= Enough); pass++)
        {
            foreach (var threads in pass % 2 == 0 ? racing : Enumerable.Reverse(racing)) Turn(llama, batch, prompt, threads, steps[threads]);
            if (clock.Elapsed >= Ceiling) break;
            if (racing.Any(n => steps[n].Count < FewestSteps)) continue;
            var fastest = racing.Min(n => Median(steps[n]));
            racing = [.. racing.Where(n => Median(steps[n]) <= fastest / (1 - Behind))];
            if (racing.Any(n => steps[n].Count >= MostSteps)) break;
        }
        return Choose([.. steps.Select(s => new DecodeThreadRate(s.Key, 1 / Median(s.Value)))]) with { Measuring = Stopwatch.GetElapsedTime(started) };
    }

    /// <summary>One turn: <paramref name="threads"/> threads decode the prompt's last token again at the positions after
    /// it (a step's work does not depend on which token it is), one step untimed, then <see cref="StepsPerTurn"/> timed.</summary>
    private static void Turn(LLamaContext llama, LLamaBatch batch, LLamaToken[] prompt, int threads, List<double> seconds)
    {
        llama.GenerationThreads = threads;
        llama.NativeHandle.MemorySequenceRemove(LLamaSeqId.Zero, prompt.Length, -1);
        for (var i = 0; i <= StepsPerTurn; i++)
        {
            var start = Stopwatch.GetTimestamp();
            batch.Clear();
            batch.Add(prompt[^1], prompt.Length + i, LLamaSeqId.Zero, true);
            Decode(llama, batch);
            if (i > 0) seconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Decode(LLamaContext llama, LLamaBatch batch)
    {
        if (llama.Decode(batch) != DecodeResult.Ok) throw new InvalidOperationException("llama.cpp could not decode while measuring its threads.");
    }

    /// <summary>"1 thread for each new token (the fastest measured at load in 0.15 s: 1 thread 962 tok/s, 2 threads 780 tok/s)".</summary>
    public override string ToString()
    {
        var threads = string.Create(CultureInfo.InvariantCulture, $"{Threads} thread{(Threads == 1 ? "" : "s")} for each new token");
        if (Measured.Count == 0) return $"{threads} ({Reason})";
        var rates = string.Join(", ", Measured.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Threads} thread{(m.Threads == 1 ? "" : "s")} {m.TokensPerSecond:F0} tok/s")));
        var took = Measuring > TimeSpan.Zero ? string.Create(CultureInfo.InvariantCulture, $" in {Measuring.TotalSeconds:F2} s") : "";
        return $"{threads} ({Reason}{took}: {rates})";
    }
}

/// <summary>Tokens per second of single-token steps with <paramref name="Threads"/> threads.</summary>
public sealed record DecodeThreadRate(int Threads, double TokensPerSecond);
