namespace Planner.Hosting.Training;

public enum TrainingTask
{
    /// <summary>A domain language model (GPT-2, next-token prediction) on documents; exportable to GGUF.</summary>
    LanguageModel,
    /// <summary>A review classifier (GPT-2 with a classification head) on a labelled CSV.</summary>
    Classifier,
}
