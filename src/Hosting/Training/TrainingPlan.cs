using Planner.Engine.Export;
using Planner.Engine.Model;
using Planner.Engine.Native;
using Planner.Engine.Training;

namespace Planner.Hosting.Training;

/// <summary>A request turned into what the Engine trains: the model's shape and the optimisation settings, with
/// <see cref="TrainingDefaults"/> for whatever the request leaves unset. The one place this mapping is made.</summary>
public sealed record TrainingPlan(GptConfig Model, TrainingConfig Training)
{
    /// <summary>The plan for a run from its start. A classifier given its number of training examples gets its defaults
    /// from the data (<see cref="ForClassifier"/>). Throws <see cref="CheckpointException"/> for an unusable base model
    /// and <see cref="ArgumentException"/> for settings out of range.</summary>
    public static TrainingPlan For(TrainingRequest request, int? trainingExamples = null)
    {
        if (request.Task == TrainingTask.Classifier && trainingExamples is { } examples) return ForClassifier(request, examples);
        var steps = request.StepsOrDefault;
        var interval = request.EvaluationInterval ?? TrainingDefaults.EvaluationInterval(steps);
        return new TrainingPlan(ModelShape(request), Settings(request, steps, request.BatchOrDefault, request.LearningRateOrDefault, interval));
    }

    /// <summary>A classifier's plan from its data: the batch and learning rate for the number of training examples
    /// (<see cref="TrainingDefaults.ClassifierBatchFor"/>, <see cref="TrainingDefaults.ClassifierLearningRateFor"/>), up
    /// to <see cref="TrainingDefaults.ClassifierEpochs"/> epochs evaluated once an epoch and stopped after
    /// <see cref="TrainingDefaults.ClassifierPatience"/> epochs without a better validation macro-F1, the best checkpoint
    /// kept by macro-F1 and classes weighed by inverse frequency. Steps, batch, learning rate and evaluation interval the
    /// request sets win.</summary>
    public static TrainingPlan ForClassifier(TrainingRequest request, int trainingExamples)
    {
        var batch = request.Batch ?? TrainingDefaults.ClassifierBatchFor(trainingExamples);
        var learningRate = request.LearningRate ?? TrainingDefaults.ClassifierLearningRateFor(batch);
        var epoch = TrainingDefaults.StepsPerEpoch(trainingExamples, batch * (request.Accumulate ?? 1));
        var steps = request.Steps ?? Math.Min(100_000, epoch * TrainingDefaults.ClassifierEpochs);
        var interval = request.EvaluationInterval ?? (request.Steps is null ? epoch : TrainingDefaults.EvaluationInterval(steps));
        var training = Settings(request, steps, batch, learningRate, interval) with
        {
            SelectByMacroF1 = true,
            BalanceClasses = true,
            EarlyStoppingPatience = request.Steps is null ? TrainingDefaults.ClassifierPatience : new TrainingConfig().EarlyStoppingPatience,
        };
        return new TrainingPlan(ModelShape(request), training.Validated());
    }

    private static TrainingConfig Settings(TrainingRequest request, int steps, int batch, double learningRate, int interval) =>
        (Schedule(request, steps, batch, learningRate, interval) with
        {
            GradientAccumulationSteps = request.Accumulate ?? 1,
            // A classifier is judged on every held-out example; a language model on a sample of windows.
            EvaluationWindows = request.Task == TrainingTask.Classifier ? int.MaxValue : new TrainingConfig().EvaluationWindows,
        }).Validated();

    /// <summary>What every training of a request shares (a run's own, and its domain-adaptive pretraining's): steps, batch,
    /// the peak learning rate decaying to a tenth after the default warm-up, the seed, evaluation and checkpoint interval,
    /// and the precision chosen for this machine.</summary>
    internal static TrainingConfig Schedule(TrainingRequest request, int steps, int batch, double learningRate, int interval) => new()
    {
        MaxSteps = steps,
        BatchSize = batch,
        LearningRate = learningRate,
        MinLearningRate = learningRate / 10,
        WarmupSteps = TrainingDefaults.WarmupSteps(steps),
        Seed = request.SeedOrDefault,
        EvaluationInterval = interval,
        CheckpointInterval = interval,
        Precision = ChoosePrecision(request).Precision,
    };

    /// <summary>The precision the request trains in on this machine and device, and why; <paramref name="saved"/> is a
    /// resumed checkpoint's, which auto keeps. Throws <see cref="ArgumentException"/> for an unknown precision or
    /// device.</summary>
    public static PrecisionChoice ChoosePrecision(TrainingRequest request, TrainingPrecision? saved = null) =>
        PrecisionChoice.Resolve(request.Precision, CpuFeatures.Current, ComputeDevice.Resolve(request.Device).type, saved);

    /// <summary>The classifier settings in words, for the run's start line: what the data chose and why.</summary>
    public string DescribeClassifier(int trainingExamples)
    {
        var t = Training;
        var epoch = TrainingDefaults.StepsPerEpoch(trainingExamples, t.BatchSize * t.GradientAccumulationSteps);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Training: up to {t.MaxSteps} steps ({t.MaxSteps / (double)epoch:0.#} epochs of {epoch} steps), batch {t.BatchSize}, learning rate {t.LearningRate:0.0###}, " +
            $"evaluated every {t.EvaluationInterval} steps, stopping after {t.EarlyStoppingPatience} evaluations without a better validation macro-F1 " +
            $"(the best kept); classes weighed by inverse frequency");
    }

    /// <summary>The plan that continues a checkpoint: its own settings, except that <paramref name="steps"/> (when given)
    /// moves the end of the run — the learning-rate schedule is stretched to end there — and <paramref name="precision"/>
    /// (when given) replaces the checkpoint's: the weights and optimizer state are float32 either way.</summary>
    public static TrainingPlan Resume(CheckpointMetadata saved, int? steps, TrainingPrecision? precision = null)
    {
        var training = saved.Training with { Precision = precision ?? saved.Training.Precision };
        if (steps is not { } end || end == saved.Training.MaxSteps) return new TrainingPlan(saved.Model, training);
        if (end <= saved.Step)
            throw new ArgumentException($"The checkpoint is already at step {saved.Step}; give more steps than that to train longer.");
        return new TrainingPlan(saved.Model, (training with { MaxSteps = end }).Validated());
    }

    /// <summary>The shape to train: the base model's (its context cannot change), else the preset with the chosen context,
    /// layers, heads and width.</summary>
    public static GptConfig ModelShape(TrainingRequest request)
    {
        if (request.BaseModel is { } basePath)
        {
            var config = Gpt2Weights.ReadConfig(basePath);
            if (request.Context is { } context && context != config.ContextLength)
                throw new CheckpointException($"The base model was trained with a context of {config.ContextLength} tokens; keep that context (or train from scratch).");
            return config;
        }
        var preset = GptConfig.Preset(request.Preset);
        return (preset with
        {
            ContextLength = request.Context ?? preset.ContextLength,
            Layers = request.Layers ?? preset.Layers,
            Heads = request.Heads ?? preset.Heads,
            Embedding = request.Width ?? preset.Embedding,
        }).Validated();
    }
}
