using System.Diagnostics;
using System.Text.Json;
using Planner.Engine.Model;
using Planner.Engine.Native;
using static TorchSharp.torch;

namespace Planner.Engine.Training;

/// <summary>The training loop (nanoGPT's train.py), one for every task: AdamW, warmup + cosine learning rate, gradient
/// clipping and accumulation, periodic evaluation, atomic checkpoints to <c>OUT/checkpoint</c> (latest) and
/// <c>OUT/best</c> (lowest validation loss, or highest macro-F1 for a classifier that asks for it), early stopping, and <c>OUT/metrics.jsonl</c>. What is optimised comes from
/// the <see cref="ITrainingObjective"/>. A resumed run continues exactly where the checkpoint left off; a step whose
/// loss or gradients are not finite stops the run before anything of it is applied or written.</summary>
public sealed class Trainer(TrainingConfig config, CheckpointStore? store = null)
{
    private static readonly JsonSerializerOptions MetricsJson = new(CheckpointStore.Json) { WriteIndented = false };

    private readonly TrainingConfig config = config.Validated();
    private readonly CheckpointStore store = store ?? new CheckpointStore();

    /// <param name="resume">Continue from <c>OUT/checkpoint</c> (which must fit the objective's model).</param>
    public TrainingResult Train(ITrainingObjective objective, string outputDirectory, IProgress<TrainingProgress>? progress = null,
        bool resume = false, CancellationToken cancellationToken = default)
    {
        EngineNative.PrepareTrainingThread();
        var output = new TrainingOutput(outputDirectory);
        Directory.CreateDirectory(outputDirectory);
        var model = objective.Model;
        using var optimizer = new AdamWOptimizer(model.named_parameters(), config.Beta1, config.Beta2, config.Epsilon, config.WeightDecay);

        long step = 0;
        double? best = null;
        double? bestF1 = null;
        var sinceImprovement = 0;
        if (resume)
        {
            var saved = CheckpointStore.ReadMetadata(output.Latest);
            if (objective.ResumeProblem(saved) is { } problem) throw new CheckpointException($"The checkpoint in {output.Latest} {problem}");
            CheckpointStore.LoadModel(output.Latest, model);
            CheckpointStore.LoadOptimizer(output.Latest, optimizer);
            (step, best, bestF1, sinceImprovement) = (saved.Step, saved.BestValidationLoss, saved.BestMacroF1, saved.EvaluationsWithoutImprovement);
        }
        using var metrics = OpenMetrics(output.Metrics, keepUpToStep: step);

        model.train();
        // Mixed precision for the forward, backward and evaluation passes only: what a host does with the model between
        // steps (a sample generation at each evaluation) stays float32.
        ScalarType? matmulType = config.Precision == TrainingPrecision.Bf16 ? ScalarType.BFloat16 : null;
        var clock = Stopwatch.StartNew();
        var startStep = step;
        var lastLoss = double.NaN;
        var stoppedEarly = false;
        long? savedStep = resume ? step : null;
        try
        {
            while (step < config.MaxSteps && !stoppedEarly)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stepClock = Stopwatch.StartNew();
                var learningRate = LearningRateSchedule.At(step, config);
                double gradientNorm;
                long tokens = 0;
                using (var scope = NewDisposeScope())
                {
                    optimizer.ZeroGrad();
                    lastLoss = 0;
                    for (var micro = 0; micro < config.GradientAccumulationSteps; micro++)
                    {
                        double loss;
                        long read;
                        using (MixedPrecision.Use(model, matmulType))
                            (loss, read) = objective.ForwardBackward(config, step, micro, 1.0 / config.GradientAccumulationSteps);
                        lastLoss += loss / config.GradientAccumulationSteps;
                        tokens += read;
                    }
                    // Clipping as torch's clip_grad_norm_, its scale applied as the step reads each gradient.
                    gradientNorm = optimizer.GradientNorm();
                    TrainingDivergedException.ThrowIfNotFinite(step + 1, learningRate, lastLoss, gradientNorm);
                    optimizer.Step(learningRate, AdamWOptimizer.ClipScale(gradientNorm, config.GradientClip));
                }
                step++;
                var stepSeconds = stepClock.Elapsed.TotalSeconds; // before evaluation and checkpointing

                ObjectiveEvaluation? evaluation = null;
                if (step % config.EvaluationInterval == 0 || step == config.MaxSteps)
                {
                    using (MixedPrecision.Use(model, matmulType))
                        evaluation = objective.Evaluate(config);
                    if (evaluation is not null)
                    {
                        TrainingDivergedException.ThrowIfNotFinite(step, learningRate, evaluation.Loss, lossName: "validation loss");
                        if (Improves(evaluation, best, bestF1))
                        {
                            (best, bestF1, sinceImprovement) = (evaluation.Loss, config.SelectByMacroF1 ? evaluation.MacroF1 : null, 0);
                            store.Save(output.Best, Metadata(objective, step, best, bestF1, sinceImprovement), model);
                        }
                        else if (config.EarlyStoppingPatience > 0 && ++sinceImprovement >= config.EarlyStoppingPatience)
                        {
                            stoppedEarly = true;
                        }
                    }
                }
                if (step % config.CheckpointInterval == 0 || step == config.MaxSteps || stoppedEarly)
                {
                    store.Save(output.Latest, Metadata(objective, step, best, bestF1, sinceImprovement), model, optimizer);
                    savedStep = step;
                }

                var secondsPerStep = clock.Elapsed.TotalSeconds / (step - startStep);
                var report = new TrainingProgress(step, config.MaxSteps, lastLoss, learningRate, gradientNorm, tokens / stepSeconds,
                    TimeSpan.FromSeconds(secondsPerStep * (config.MaxSteps - step)), evaluation?.Loss, evaluation?.Perplexity,
                    evaluation?.Accuracy, evaluation?.MacroF1, TimeSpan.FromSeconds(stepSeconds));
                metrics.WriteLine(JsonSerializer.Serialize(MetricsLine.Of(report), MetricsJson));
                metrics.Flush();
                progress?.Report(report);
            }
        }
        catch (IOException e) when (e is not TrainingStoppedException)
        {
            // A full disk: the metrics writer may still hold the failed line; drop it so disposing does not throw again.
            try { metrics.Dispose(); } catch (IOException) { }
            throw TrainingStoppedException.From(e, step, savedStep, output.Latest);
        }
        return new TrainingResult(step, lastLoss, best, stoppedEarly, output.Latest, bestF1);
    }

    /// <summary>Whether an evaluation beats the best so far: by validation loss, or (<see cref="TrainingConfig.SelectByMacroF1"/>)
    /// by macro-F1 with the loss breaking a tie — with few held-out examples many evaluations share one macro-F1.</summary>
    private bool Improves(ObjectiveEvaluation evaluation, double? best, double? bestF1)
    {
        if (!config.SelectByMacroF1 || evaluation.MacroF1 is not { } f1) return best is null || evaluation.Loss < best;
        if (bestF1 is not { } top) return true;
        return f1 > top + 1e-9 || (Math.Abs(f1 - top) <= 1e-9 && (best is null || evaluation.Loss < best));
    }

    private CheckpointMetadata Metadata(ITrainingObjective objective, long step, double? best, double? bestF1, int sinceImprovement) =>
        new(objective.Kind, objective.Config, step, best, sinceImprovement, config, objective.Labels, bestF1, objective.Pooling);

    /// <summary>Opens the metrics log for appending; on resume, lines past the checkpoint's step are dropped so the
    /// log reads like one uninterrupted run.</summary>
    internal static StreamWriter OpenMetrics(string path, long keepUpToStep)
    {
        if (File.Exists(path))
        {
            var kept = File.ReadLines(path).Where(line =>
            {
                try { return JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt64() <= keepUpToStep; }
                catch (JsonException) { return false; }
            }).ToList();
            var temp = path + ".tmp";
            File.WriteAllLines(temp, kept);
            File.Move(temp, path, overwrite: true);
        }
        return new StreamWriter(path, append: true);
    }

    /// <summary>One line of metrics.jsonl; the validation fields only on evaluation steps, the task's own only for its task.</summary>
    private sealed record MetricsLine(long Step, double TrainLoss, double LearningRate, double TokensPerSecond, double? ValLoss,
        double? Perplexity, double? Accuracy, double? MacroF1)
    {
        public static MetricsLine Of(TrainingProgress p) =>
            new(p.Step, p.TrainLoss, p.LearningRate, p.TokensPerSecond, p.ValidationLoss, p.Perplexity, p.Accuracy, p.MacroF1);
    }
}
