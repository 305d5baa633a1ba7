using System.Diagnostics;
using System.Text.Json;
using Planner.Engine.Data;
using Planner.Engine.Evaluation;
using Planner.Engine.Model;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Training;

/// <summary>Fine-tunes a <see cref="ClassificationHead"/> on labelled texts with the same optimiser, schedule,
/// checkpoints (kind "classifier", with the label list) and resume semantics as <see cref="LanguageModelTrainer"/>.
/// Each evaluation reports validation loss, accuracy and macro-F1; the best validation loss is kept in OUT/best.</summary>
public sealed class ClassifierTrainer(TrainingConfig config, CheckpointStore? store = null)
{
    private static readonly JsonSerializerOptions MetricsJson = new(CheckpointStore.Json) { WriteIndented = false };

    private readonly TrainingConfig config = config.Validated();
    private readonly CheckpointStore store = store ?? new CheckpointStore();

    public TrainingResult Train(ClassificationHead model, IReadOnlyList<string> labels, IReadOnlyList<LabelledExample> train, IReadOnlyList<LabelledExample> validation,
        string outputDirectory, IProgress<TrainingProgress>? progress = null, bool resume = false, CancellationToken cancellationToken = default)
    {
        if (train.Count == 0) throw new CorpusException("There are no training examples.");
        ComputeDevice.PrepareCpu();
        using var heap = NativeHeap.KeepForTraining();
        Directory.CreateDirectory(outputDirectory);
        var latest = Path.Combine(outputDirectory, LanguageModelTrainer.LatestCheckpoint);
        var gptConfig = model.Transformer.Config;
        var device = model.parameters().First().device;
        using var optimizer = new AdamWOptimizer(model.named_parameters(), config.Beta1, config.Beta2, config.Epsilon, config.WeightDecay);

        long step = 0;
        double? best = null;
        var sinceImprovement = 0;
        if (resume)
        {
            var saved = CheckpointStore.ReadMetadata(latest);
            if (saved.Kind != CheckpointMetadata.Classifier || saved.Model != gptConfig || saved.Labels is null || !saved.Labels.SequenceEqual(labels))
                throw new CheckpointException($"The checkpoint in {latest} is not a classifier of this shape with labels {string.Join(", ", labels)}.");
            CheckpointStore.LoadModel(latest, model);
            CheckpointStore.LoadOptimizer(latest, optimizer);
            (step, best, sinceImprovement) = (saved.Step, saved.BestValidationLoss, saved.EvaluationsWithoutImprovement);
        }
        using var metrics = LanguageModelTrainer.OpenMetrics(Path.Combine(outputDirectory, LanguageModelTrainer.MetricsFile), keepUpToStep: step);

        var labelIndex = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i);
        model.train();
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
                        var random = DeterministicRandom.For(config.Seed, step, micro);
                        var batch = Enumerable.Range(0, config.BatchSize).Select(_ => train[random.Next(train.Count)]).ToList();
                        var (x, lengths) = ClassificationBatch.Encode(batch.Select(e => e.Text), gptConfig.ContextLength);
                        tokens += x.numel();
                        var y = tensor(batch.Select(e => (long)labelIndex[e.Label]).ToArray()).to(device);
                        var loss = F.cross_entropy(model.forward(x.to(device), lengths.to(device)), y) / config.GradientAccumulationSteps;
                        loss.backward();
                        lastLoss += loss.item<float>();
                    }
                    gradientNorm = optimizer.ClipGradients(config.GradientClip);
                    TrainingDivergedException.ThrowIfNotFinite(step + 1, learningRate, lastLoss, gradientNorm);
                    optimizer.Step(learningRate);
                }
                step++;
                var stepSeconds = stepClock.Elapsed.TotalSeconds;

                ClassificationReport? report = null;
                double? validationLoss = null;
                if (validation.Count > 0 && (step % config.EvaluationInterval == 0 || step == config.MaxSteps))
                {
                    report = ClassifierEvaluator.Evaluate(model, validation, labels, gptConfig.ContextLength, out var loss);
                    TrainingDivergedException.ThrowIfNotFinite(step, learningRate, loss, lossName: "validation loss");
                    validationLoss = loss;
                    if (best is null || loss < best)
                    {
                        (best, sinceImprovement) = (loss, 0);
                        store.Save(Path.Combine(outputDirectory, LanguageModelTrainer.BestCheckpoint), Metadata(gptConfig, labels, step, best, sinceImprovement), model);
                    }
                    else if (config.EarlyStoppingPatience > 0 && ++sinceImprovement >= config.EarlyStoppingPatience)
                    {
                        stoppedEarly = true;
                    }
                }
                if (step % config.CheckpointInterval == 0 || step == config.MaxSteps || stoppedEarly)
                {
                    store.Save(latest, Metadata(gptConfig, labels, step, best, sinceImprovement), model, optimizer);
                    savedStep = step;
                }

                var secondsPerStep = clock.Elapsed.TotalSeconds / (step - startStep);
                var progressReport = new TrainingProgress(step, config.MaxSteps, lastLoss, learningRate, gradientNorm, tokens / stepSeconds,
                    TimeSpan.FromSeconds(secondsPerStep * (config.MaxSteps - step)), validationLoss, null, report?.Accuracy, report?.MacroF1, TimeSpan.FromSeconds(stepSeconds));
                metrics.WriteLine(JsonSerializer.Serialize(new { step, trainLoss = lastLoss, learningRate, tokensPerSecond = progressReport.TokensPerSecond, valLoss = validationLoss, accuracy = report?.Accuracy, macroF1 = report?.MacroF1 }, MetricsJson));
                metrics.Flush();
                progress?.Report(progressReport);
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

    private CheckpointMetadata Metadata(GptConfig model, IReadOnlyList<string> labels, long step, double? best, int sinceImprovement) =>
        new(CheckpointMetadata.Classifier, model, step, best, sinceImprovement, config, labels);
}
