using System.Globalization;
using Planner.Engine.Data;
using Planner.Engine.Model;
using Planner.Engine.Native;
using Planner.Engine.Training;

namespace Planner.Engine.Bench;

/// <summary>float32 against bfloat16 mixed precision, side by side in one process: the same seed, shape, corpus and
/// steps through the Engine's own <see cref="Trainer"/> (as <c>planner train</c> runs it), training tokens/s of each
/// (the first step, a warm-up, left out) and the held-out loss after the last step.</summary>
public static class PrecisionComparison
{
    public sealed record Result(TrainingPrecision Precision, double TokensPerSecond, double ValidationLoss);

    /// <summary>The sample company's documents as a training corpus for <paramref name="config"/>'s context.</summary>
    public static TokenDataset SampleCorpus(GptConfig config, string folder) =>
        TokenDataset.Build([.. Directory.GetFiles(folder, "*.md").Order(StringComparer.Ordinal).Select(f => new TextDocument(f, File.ReadAllText(f)))],
            config.ContextLength, seed: 1337);

    /// <summary>Both precisions, float32 first, each on a thread of its own as the hosts train.</summary>
    public static IReadOnlyList<Result> Measure(GptConfig config, TokenDataset data, int batch, int steps) =>
        [.. new[] { TrainingPrecision.Fp32, TrainingPrecision.Bf16 }.Select(precision =>
        {
            Result? result = null;
            var worker = new Thread(() => result = Train(config, data, batch, steps, precision));
            worker.Start();
            worker.Join();
            return result!;
        })];

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

    /// <summary>"tiny  bfloat16 vs float32, 20 steps of 1×256 …: 0.08× the training tokens/s; held-out loss …".</summary>
    public static string Describe(string preset, GptConfig config, int batch, int steps, IReadOnlyList<Result> results)
    {
        var (fp32, bf16) = (results.Single(r => r.Precision == TrainingPrecision.Fp32), results.Single(r => r.Precision == TrainingPrecision.Bf16));
        return string.Create(CultureInfo.InvariantCulture,
            $"{preset,-5} bfloat16 vs float32, {steps} timed steps of {batch}×{config.ContextLength} on the sample documents: " +
            $"float32 {fp32.TokensPerSecond:F0} tok/s, bfloat16 {bf16.TokensPerSecond:F0} tok/s ({bf16.TokensPerSecond / fp32.TokensPerSecond:F2}× float32); " +
            $"held-out loss after step {steps + 1}: float32 {fp32.ValidationLoss:F4}, bfloat16 {bf16.ValidationLoss:F4} ({(bf16.ValidationLoss - fp32.ValidationLoss) / fp32.ValidationLoss:+0.00%;-0.00%;0.00%})");
    }

    private sealed class Recorder(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }
}
