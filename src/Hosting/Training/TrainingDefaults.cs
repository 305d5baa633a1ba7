using Planner.Engine.Model;

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

    /// <summary>Domain-adaptive pretraining's peak rate when it continues a pretrained base model rather than scratch.</summary>
    public const double DomainContinuationLearningRate = 1e-4;
    public const int ClassifierBatch = 8;
    public const double ClassifierLearningRate = 3e-4;

    /// <summary>Warm-up: a tenth of the steps, at least one and at most ten.</summary>
    public static int WarmupSteps(int steps) => Math.Min(10, Math.Max(1, steps / 10));

    /// <summary>Evaluate (and checkpoint) about six times a run.</summary>
    public static int EvaluationInterval(int steps) => Math.Max(1, steps / 6);

    public static int Batch(TrainingTask task) => task == TrainingTask.Classifier ? ClassifierBatch : LanguageModelBatch;

    public static double LearningRate(TrainingTask task) => task == TrainingTask.Classifier ? ClassifierLearningRate : LanguageModelLearningRate;

    /// <summary>A classifier trains for at most this many passes over its training examples; early stopping on
    /// validation macro-F1 usually ends it sooner.</summary>
    public const int ClassifierEpochs = 20;

    /// <summary>Epochs without a better validation macro-F1 before a classifier run stops.</summary>
    public const int ClassifierPatience = 4;

    /// <summary>How the classifier pools a text's hidden states (docs/benchmarks.md, "Review classifier: pooling and a
    /// validation split").</summary>
    public const ClassifierPooling ClassifierPooling = Planner.Engine.Model.ClassifierPooling.Mean;

    /// <summary>Below this many labelled training examples a classifier first learns the texts it has (domain-adaptive
    /// pretraining), from scratch or from its base model.</summary>
    public const int DomainPretrainingBelow = 2_000;

    /// <summary>The classifier's batch for its number of training examples: 8 below 500, 16 below 2,000, else 32 — about
    /// 20 or more optimizer steps an epoch while the data is small, fewer noisier steps never.</summary>
    public static int ClassifierBatchFor(int trainingExamples) => trainingExamples < 500 ? 8 : trainingExamples < 2_000 ? 16 : 32;

    /// <summary>The classifier's peak learning rate for a batch: 3e-4 at batch 8, scaled by the square root of the batch
    /// (the usual rule for Adam-type optimizers), so 4.2e-4 at 16 and 6e-4 at 32.</summary>
    public static double ClassifierLearningRateFor(int batch) => ClassifierLearningRate * Math.Sqrt(batch / (double)ClassifierBatch);

    /// <summary>Optimizer steps in one pass over the training examples.</summary>
    public static int StepsPerEpoch(int trainingExamples, int batch) => Math.Max(1, (trainingExamples + batch - 1) / batch);

    /// <summary>Domain-adaptive pretraining's language-model steps for a number of training tokens: about 20 passes over
    /// them in batches of <see cref="LanguageModelBatch"/> windows, but at least 400 steps — fewer left the language model
    /// too rough to help (docs/benchmarks.md) — and at most 1,000 (early stopping on validation loss may end it sooner).</summary>
    public static int DomainPretrainingSteps(long tokens, int contextLength) =>
        (int)Math.Clamp(20 * tokens / ((long)LanguageModelBatch * contextLength), 400, 1_000);

    /// <summary>Language-model steps when domain-adaptive pretraining continues a pretrained base: about ten passes over
    /// the texts, at least 50 and at most 1,000 — the base already knows the language, so hundreds of passes over a few
    /// thousand tokens would only memorise them.</summary>
    public static int DomainContinuationSteps(long tokens, int contextLength) =>
        (int)Math.Clamp(10 * tokens / ((long)LanguageModelBatch * contextLength), 50, 1_000);

    /// <summary>Distillation of the sentence encoder: texts a step.</summary>
    public const int DistillationBatch = 32;

    /// <summary>Distillation's peak learning rate from scratch.</summary>
    public const double DistillationLearningRate = 1e-3;

    /// <summary>Distillation's steps for a number of texts: about ten passes over them, at least 200 and at most 3,000
    /// (early stopping on the validation texts' distance may end it sooner).</summary>
    public static int DistillationSteps(int texts) => Math.Clamp(10 * texts / DistillationBatch, 200, 3_000);
}
