using System.Globalization;
using Planner.Engine.Data;
using Planner.Engine.Model;
using Planner.Engine.Native;
using Planner.Engine.Training;

namespace Planner.Engine.Bench;

/// <summary>float32 against bfloat16 mixed precision, side by side in one run: the same seed, shape, corpus and
/// steps through the Engine's own <see cref="Trainer"/> (as <c>planner train</c> runs it), training tokens/s of each
/// (the first step, a warm-up, left out) and the held-out loss after the last step. Each training runs in a process of
/// its own, as <c>planner train</c> does: run one after the other in the bench's own process, after its reference
/// multiplies, both trained slower than <c>planner train</c> (docs/benchmarks.md; the cause was not found).</summary>
public static class PrecisionComparison
{
    public sealed record Result(TrainingPrecision Precision, double TokensPerSecond, double ValidationLoss);

    /// <summary>The measurement of both precisions: each round trains float32 and bfloat16 once, each in a fresh process,
    /// in alternating order (a neighbour's load then falls on both alike).</summary>
    public sealed record Comparison(IReadOnlyList<Result> Fp32Runs, IReadOnlyList<Result> Bf16Runs);

    /// <summary>The sample company's documents as a training corpus for <paramref name="config"/>'s context.</summary>
    public static TokenDataset SampleCorpus(GptConfig config, string folder) =>
        TokenDataset.Build([.. Directory.GetFiles(folder, "*.md").Order(StringComparer.Ordinal).Select(f => new TextDocument(f, File.ReadAllText(f)))],
            config.ContextLength, seed: 1337);

    /// <summary>Both precisions, <paramref name="rounds"/> times each, every training in a child process
    /// (<see cref="MeasureOne"/> through <c>--precision-one</c>).</summary>
    public static Comparison Measure(string preset, int batch, int steps, int rounds)
    {
        var (fp32, bf16) = (new List<Result>(), new List<Result>());
        for (var round = 0; round < rounds; round++)
        {
            TrainingPrecision[] order = round % 2 == 0 ? [TrainingPrecision.Fp32, TrainingPrecision.Bf16] : [TrainingPrecision.Bf16, TrainingPrecision.Fp32];
            foreach (var precision in order)
            {
                var printed = ChildProcess.LastLine(["--precision-one", preset, precision.ToString(), batch.ToString(CultureInfo.InvariantCulture), steps.ToString(CultureInfo.InvariantCulture)],
                    $"training {preset} in {precision}");
                var values = printed.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                (precision == TrainingPrecision.Fp32 ? fp32 : bf16).Add(new Result(precision, values[0], values[1]));
            }
        }
        return new Comparison(fp32, bf16);
    }

    /// <summary>One precision in this process, on a thread of its own as the hosts train; the line a child prints:
    /// training tokens/s and the held-out loss.</summary>
    public static string MeasureOne(GptConfig config, TokenDataset data, int batch, int steps, TrainingPrecision precision)
    {
        Result? result = null;
        var worker = new Thread(() => result = Train(config, data, batch, steps, precision));
        worker.Start();
        worker.Join();
        return string.Create(CultureInfo.InvariantCulture, $"{result!.TokensPerSecond:R} {result.ValidationLoss:R}");
    }

    private static Result Train(GptConfig config, TokenDataset data, int batch, int steps, TrainingPrecision precision)
    {
        var output = Directory.CreateTempSubdirectory("planner-bench-precision-").FullName;
        try
        {
            using var heap = EngineNative.HoldTrainingHeap();
            using var model = new Gpt(config, seed: 1);
            using var objective = new LanguageModelObjective(model, data);
            var reports = new List<TrainingProgress>();
            var total = steps + 1; // one warm-up step, not timed
            var training = new TrainingConfig
            {
                MaxSteps = total, BatchSize = batch, WarmupSteps = Math.Clamp(total / 10, 1, 10), EvaluationInterval = total,
                CheckpointInterval = total, EarlyStoppingPatience = 0, Precision = precision,
            };
            new Trainer(training).Train(objective, output, new Recorder(reports));
            var timed = reports.Skip(1).ToList();
            var tokens = timed.Sum(r => r.TokensPerSecond * r.StepTime.TotalSeconds);
            return new Result(precision, tokens / timed.Sum(r => r.StepTime.TotalSeconds), reports[^1].ValidationLoss!.Value);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>"tiny  bfloat16 vs float32, 20 steps of 1×256 …: 0.08× the training tokens/s; held-out loss …": medians
    /// over the rounds, and each round's ratio.</summary>
    public static string Describe(string preset, GptConfig config, int batch, int steps, Comparison comparison)
    {
        var (fp32, bf16) = (Rounds.Median(comparison.Fp32Runs.Select(r => r.TokensPerSecond)), Rounds.Median(comparison.Bf16Runs.Select(r => r.TokensPerSecond)));
        var (fp32Loss, bf16Loss) = (comparison.Fp32Runs[0].ValidationLoss, comparison.Bf16Runs[0].ValidationLoss);
        var rounds = comparison.Fp32Runs.Zip(comparison.Bf16Runs, (f, b) => string.Create(CultureInfo.InvariantCulture, $"{f.TokensPerSecond:F0}/{b.TokensPerSecond:F0} ({b.TokensPerSecond / f.TokensPerSecond:F2}×)"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{preset,-5} bfloat16 vs float32, {steps} timed steps of {batch}×{config.ContextLength} on the sample documents, each in a process of its own, medians of {comparison.Fp32Runs.Count} round(s): " +
            $"float32 {fp32:F0} tok/s, bfloat16 {bf16:F0} tok/s ({bf16 / fp32:F2}× float32; rounds, float32/bfloat16: {string.Join(", ", rounds)}); " +
            $"held-out loss after step {steps + 1}: float32 {fp32Loss:F4}, bfloat16 {bf16Loss:F4} ({(bf16Loss - fp32Loss) / fp32Loss:+0.00%;-0.00%;0.00%})");
    }

    private sealed class Recorder(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }
}
