namespace Planner.Web.Services;

/// <summary>What the founder asked to train: a domain language model on a corpus folder, with the main settings.</summary>
public sealed record TrainingRequest(string CorpusDirectory, string CorpusLabel, string Preset = "tiny", int Steps = 60, int Batch = 4, double LearningRate = 6e-4)
{
    /// <summary>The problems with these settings, in words; empty when they are fine.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Preset is not ("tiny" or "small" or "gpt2")) problems.Add("Choose a preset: tiny, small or gpt2.");
        if (Steps is < 1 or > 100_000) problems.Add("Steps must be between 1 and 100,000.");
        if (Batch is < 1 or > 64) problems.Add("Batch must be between 1 and 64.");
        if (LearningRate is <= 0 or > 0.1) problems.Add("The learning rate must be above 0 and at most 0.1.");
        if (!Directory.Exists(CorpusDirectory)) problems.Add($"There is no data to train on ({CorpusLabel}): upload documents first.");
        return problems;
    }
}
