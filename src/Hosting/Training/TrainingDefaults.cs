namespace Planner.Hosting.Training;

/// <summary>The one set of training defaults, whichever host asks (the Training page, <c>planner train</c>,
/// <c>planner train-classifier</c>): the same request gives the same model from any entry point.</summary>
public static class TrainingDefaults
{
    public const string Preset = "tiny";
    public const int Steps = 200;
    public const int Seed = 1337;
    public const int LanguageModelBatch = 4;
    public const double LanguageModelLearningRate = 6e-4;
    public const int ClassifierBatch = 8;
    public const double ClassifierLearningRate = 3e-4;

    /// <summary>Warm-up: a tenth of the steps, at least one and at most ten.</summary>
    public static int WarmupSteps(int steps) => Math.Min(10, Math.Max(1, steps / 10));

    /// <summary>Evaluate (and checkpoint) about six times a run.</summary>
    public static int EvaluationInterval(int steps) => Math.Max(1, steps / 6);

    public static int Batch(TrainingTask task) => task == TrainingTask.Classifier ? ClassifierBatch : LanguageModelBatch;

    public static double LearningRate(TrainingTask task) => task == TrainingTask.Classifier ? ClassifierLearningRate : LanguageModelLearningRate;
}
