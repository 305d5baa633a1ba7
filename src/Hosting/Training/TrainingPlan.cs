using Planner.Engine.Export;
using Planner.Engine.Model;
using Planner.Engine.Training;

namespace Planner.Hosting.Training;

/// <summary>A request turned into what the Engine trains: the model's shape and the optimisation settings, with
/// <see cref="TrainingDefaults"/> for whatever the request leaves unset. The one place this mapping is made.</summary>
public sealed record TrainingPlan(GptConfig Model, TrainingConfig Training)
{
    /// <summary>The plan for a run from its start. Throws <see cref="CheckpointException"/> for an unusable base model
    /// and <see cref="ArgumentException"/> for settings out of range.</summary>
    public static TrainingPlan For(TrainingRequest request)
    {
        var steps = request.StepsOrDefault;
        var learningRate = request.LearningRateOrDefault;
        var interval = request.EvaluationInterval ?? TrainingDefaults.EvaluationInterval(steps);
        var training = new TrainingConfig
        {
            MaxSteps = steps,
            BatchSize = request.BatchOrDefault,
            GradientAccumulationSteps = request.Accumulate ?? 1,
            LearningRate = learningRate,
            MinLearningRate = learningRate / 10,
            WarmupSteps = TrainingDefaults.WarmupSteps(steps),
            Seed = request.SeedOrDefault,
            EvaluationInterval = interval,
            CheckpointInterval = interval,
            // A classifier is judged on every held-out example; a language model on a sample of windows.
            EvaluationWindows = request.Task == TrainingTask.Classifier ? int.MaxValue : new TrainingConfig().EvaluationWindows,
        }.Validated();
        return new TrainingPlan(ModelShape(request), training);
    }

    /// <summary>The plan that continues a checkpoint: its own settings, except that <paramref name="steps"/> (when given)
    /// moves the end of the run — the learning-rate schedule is stretched to end there.</summary>
    public static TrainingPlan Resume(CheckpointMetadata saved, int? steps)
    {
        if (steps is not { } end || end == saved.Training.MaxSteps) return new TrainingPlan(saved.Model, saved.Training);
        if (end <= saved.Step)
            throw new ArgumentException($"The checkpoint is already at step {saved.Step}; give more steps than that to train longer.");
        return new TrainingPlan(saved.Model, (saved.Training with { MaxSteps = end }).Validated());
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
