namespace Planner.Hosting.Training;

/// <summary>The model a fresh install offers to train: a small domain model on the founder's documents (the sample
/// company's when there are few), exported and made the active model when done, so the product works offline with no
/// downloaded model. Tiny preset, context 256, 160 steps of 4 sequences (about 164k training tokens); docs/benchmarks.md
/// has how long that takes.</summary>
public static class StarterModel
{
    public const string Preset = "tiny";
    public const int Steps = 160;
    public const int Batch = 4;
    public const double LearningRate = 1e-3;

    public static TrainingRequest Request(string documents, string label) =>
        new(documents, label, Preset, Steps, Batch, LearningRate) { Context = 256, ExportWhenDone = true };
}
