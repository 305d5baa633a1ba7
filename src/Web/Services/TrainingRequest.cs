namespace Planner.Web.Services;

public enum TrainingTask
{
    /// <summary>A domain language model (GPT-2, next-token prediction) on documents; exportable to GGUF.</summary>
    LanguageModel,
    /// <summary>A review classifier (GPT-2 with a classification head) on a labelled CSV.</summary>
    Classifier,
}

/// <summary>What the founder asked to train, with the main settings. <see cref="CorpusDirectory"/> is a folder or file
/// of documents for a language model, or the labelled CSV for a classifier; the data is copied into the run's folder
/// when the run is queued, so the run keeps (and resumes on) exactly the data it started with.</summary>
public sealed record TrainingRequest(string CorpusDirectory, string CorpusLabel, string Preset = "tiny", int Steps = 60, int Batch = 4, double LearningRate = 6e-4)
{
    public const int MaxContext = 1024;

    public TrainingTask Task { get; init; } = TrainingTask.LanguageModel;

    /// <summary>Context length in tokens, a multiple of 256; null takes the preset's (or the base model's).</summary>
    public int? Context { get; init; }

    /// <summary>Weights to start from: a Hugging Face GPT-2 model.safetensors or an earlier run's checkpoint folder;
    /// null trains from scratch with <see cref="Preset"/>.</summary>
    public string? BaseModel { get; init; }

    /// <summary>The column of a CSV holding the text (documents and reviews).</summary>
    public string TextColumn { get; init; } = "text";

    /// <summary>The classifier's label column (e.g. sentiment or category).</summary>
    public string LabelColumn { get; init; } = "label";

    /// <summary>Specific files to train on (copied into the run); when empty, <see cref="CorpusDirectory"/> is read as is.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Export to GGUF and make it the active model as soon as the run completes (the starter model does).</summary>
    public bool ExportWhenDone { get; init; }

    /// <summary>The problems with these settings, in words; empty when they are fine. The data itself is checked when
    /// the run is queued (<see cref="TrainingJobs.Enqueue"/>).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Preset is not ("tiny" or "small" or "gpt2")) problems.Add("Choose a preset: tiny, small or gpt2.");
        if (Steps is < 1 or > 100_000) problems.Add("Steps must be between 1 and 100,000.");
        if (Batch is < 1 or > 64) problems.Add("Batch must be between 1 and 64.");
        if (LearningRate is <= 0 or > 0.1) problems.Add("The learning rate must be above 0 and at most 0.1.");
        if (Context is { } context && (context < 256 || context > MaxContext || context % 256 != 0))
            problems.Add($"The context must be 256, 512, 768 or {MaxContext} tokens (a multiple of 256, which llama.cpp needs).");
        if (Files.Count == 0 && !Directory.Exists(CorpusDirectory) && !File.Exists(CorpusDirectory))
            problems.Add($"There is no data to train on ({CorpusLabel}): choose documents or upload some first.");
        if (Files.FirstOrDefault(f => !File.Exists(f)) is { } missing)
            problems.Add($"{Path.GetFileName(missing)} is no longer in the library.");
        if (Task == TrainingTask.Classifier && LabelColumn.Trim().Length == 0) problems.Add("Choose the column that holds the labels.");
        return problems;
    }
}
