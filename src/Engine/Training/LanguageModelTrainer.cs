using System.Diagnostics;
using System.Text.Json;
using Planner.Engine.Data;
using Planner.Engine.Evaluation;
using Planner.Engine.Model;
using static TorchSharp.torch;

namespace Planner.Engine.Training;

/// <summary>Trains a GPT on a token dataset (nanoGPT's train.py): AdamW, warmup + cosine learning rate, gradient
/// clipping and accumulation, periodic evaluation, atomic checkpoints to <c>OUT/checkpoint</c> (latest) and
/// <c>OUT/best</c> (lowest validation loss), early stopping, and <c>OUT/metrics.jsonl</c>. A resumed run continues
/// exactly where the checkpoint left off.</summary>
public sealed class LanguageModelTrainer(TrainingConfig config, CheckpointStore? store = null)
{
    public const string LatestCheckpoint = "checkpoint";
    public const string BestCheckpoint = "best";
    public const string MetricsFile = "metrics.jsonl";

    private static readonly JsonSerializerOptions MetricsJson = new(CheckpointStore.Json) { WriteIndented = false };

    private readonly TrainingConfig config = config.Validated();
    private readonly CheckpointStore store = store ?? new CheckpointStore();

    /// <param name="resume">Continue from <c>OUT/checkpoint</c> (the model must have that checkpoint's shape).</param>
    public TrainingResult Train(Gpt model, TokenDataset data, string outputDirectory, IProgress<TrainingProgress>? progress = null,
        bool resume = false, CancellationToken cancellationToken = default)
    {
        ComputeDevice.PrepareCpu();
        using var heap = NativeHeap.KeepForTraining();
        Directory.CreateDirectory(outputDirectory);
        var latest = Path.Combine(outputDirectory, LatestCheckpoint);
        var device = model.parameters().First().device;
        using var headLoss = new TiedHeadLoss();
        using var optimizer = new AdamWOptimizer(model.named_parameters(), config.Beta1, config.Beta2, config.Epsilon, config.WeightDecay);

        long step = 0;
        double? best = null;
        var sinceImprovement = 0;
        if (resume)
        {
            var saved = CheckpointStore.ReadMetadata(latest);
            if (saved.Model != model.Config)
                throw new CheckpointException($"The checkpoint in {latest} is for a {Describe(saved.Model)} model, not {Describe(model.Config)}.");
            CheckpointStore.LoadModel(latest, model);
            CheckpointStore.LoadOptimizer(latest, optimizer);
            (step, best, sinceImprovement) = (saved.Step, saved.BestValidationLoss, saved.EvaluationsWithoutImprovement);
        }
        using var metrics = OpenMetrics(Path.Combine(outputDirectory, MetricsFile), keepUpToStep: step);

        model.train();
        var clock = Stopwatch.StartNew();
        var startStep = step;
        var lastLoss = double.NaN;
        var stoppedEarly = false;
        var tokensPerStep = (long)config.BatchSize * config.GradientAccumulationSteps * Math.Min(model.Config.ContextLength, data.Train.Length - 1);
        long? savedStep = resume ? step : null;
        try
        {
            while (step < config.MaxSteps && !stoppedEarly)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stepClock = Stopwatch.StartNew();
                var learningRate = LearningRateSchedule.At(step, config);
                double gradientNorm;
                using (var scope = NewDisposeScope())
                {
                    optimizer.ZeroGrad();
                    lastLoss = 0;
                    for (var micro = 0; micro < config.GradientAccumulationSteps; micro++)
                    {
                        var (x, y) = data.TrainingBatch(config.BatchSize, model.Config.ContextLength, config.Seed, step, micro);
                        // Loss and backward through the tied head a slice at a time: the full logits are never held.
                        lastLoss += headLoss.ForwardBackward(model, x.to(device), y.to(device), 1.0 / config.GradientAccumulationSteps)
                                    / config.GradientAccumulationSteps;
                    }
                    gradientNorm = optimizer.ClipGradients(config.GradientClip);
                    TrainingDivergedException.ThrowIfNotFinite(step + 1, learningRate, lastLoss, gradientNorm);
                    optimizer.Step(learningRate);
                }
                step++;
                var stepSeconds = stepClock.Elapsed.TotalSeconds; // before evaluation and checkpointing

                LanguageModelEvaluation? evaluation = null;
                if (step % config.EvaluationInterval == 0 || step == config.MaxSteps)
                {
                    evaluation = LanguageModelEvaluator.Evaluate(model, data.Validation, config.EvaluationWindows, headLoss);
                    TrainingDivergedException.ThrowIfNotFinite(step, learningRate, evaluation.Loss, lossName: "validation loss");
                    if (best is null || evaluation.Loss < best)
                    {
                        (best, sinceImprovement) = (evaluation.Loss, 0);
                        store.Save(Path.Combine(outputDirectory, BestCheckpoint), Metadata(model, step, best, sinceImprovement), model);
                    }
                    else if (config.EarlyStoppingPatience > 0 && ++sinceImprovement >= config.EarlyStoppingPatience)
                    {
                        stoppedEarly = true;
                    }
                }
                if (step % config.CheckpointInterval == 0 || step == config.MaxSteps || stoppedEarly)
                {
                    store.Save(latest, Metadata(model, step, best, sinceImprovement), model, optimizer);
                    savedStep = step;
                }

                var secondsPerStep = clock.Elapsed.TotalSeconds / (step - startStep);
                var report = new TrainingProgress(step, config.MaxSteps, lastLoss, learningRate, gradientNorm,
                    tokensPerStep / stepSeconds, TimeSpan.FromSeconds(secondsPerStep * (config.MaxSteps - step)),
                    evaluation?.Loss, evaluation?.Perplexity, StepTime: TimeSpan.FromSeconds(stepSeconds));
                metrics.WriteLine(JsonSerializer.Serialize(new MetricsLine(report.Step, report.TrainLoss, report.LearningRate, report.TokensPerSecond, report.ValidationLoss, report.Perplexity), MetricsJson));
                metrics.Flush();
                progress?.Report(report);
            }
        }
        catch (IOException e) when (e is not TrainingStoppedException)
        {
            // A full disk: the metrics writer may still hold the failed line; drop it so disposing does not throw again.
            try { metrics.Dispose(); } catch (IOException) { }
            throw TrainingStoppedException.From(e, step, savedStep, latest);
        }
        return new TrainingResult(step, lastLoss, best, stoppedEarly, latest);
    }

    private CheckpointMetadata Metadata(Gpt model, long step, double? best, int sinceImprovement) =>
        new(CheckpointMetadata.LanguageModel, model.Config, step, best, sinceImprovement, config);

    private static string Describe(GptConfig c) => $"{c.Layers}-layer, {c.Embedding}-wide, {c.ContextLength}-context";

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

    private sealed record MetricsLine(long Step, double TrainLoss, double LearningRate, double TokensPerSecond, double? ValLoss, double? Perplexity);
}
