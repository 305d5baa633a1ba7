using Planner.Engine.Data;
using Planner.Engine.Export;
using Planner.Engine.Model;
using Planner.Engine.Training;

namespace Planner.Web.Services;

/// <summary>Reads and checks what a training request will train on and from: the documents or labelled reviews, and
/// the model shape (a preset, or the base model's). Every problem a founder can cause becomes one sentence.</summary>
public static class TrainingData
{
    /// <summary>A label column has at least two and at most this many distinct values (else it is an id or free text).</summary>
    public const int MaxClasses = 50;

    public static CorpusLoadResult LoadDocuments(TrainingRequest request)
    {
        var loader = new CorpusLoader(request.TextColumn, Planner.Documents.PdfInflationCheck.Problem);
        if (request.Files.Count == 0) return loader.Load(request.CorpusDirectory);
        var documents = new List<TextDocument>();
        var warnings = new List<string>();
        foreach (var file in request.Files)
        {
            var loaded = loader.Load(file);
            documents.AddRange(loaded.Documents);
            warnings.AddRange(loaded.Warnings);
        }
        return new CorpusLoadResult(documents, warnings);
    }

    /// <summary>The reviews CSV as labelled examples; a file without usable labels says how to get some.</summary>
    public static LabelledDataset LoadLabelled(TrainingRequest request)
    {
        var file = request.Files.Count > 0 ? request.Files[0] : request.CorpusDirectory;
        var name = Path.GetFileName(file);
        var columns = LabelledDataset.DescribeColumns(file);
        if (!columns.Any(c => string.Equals(c.Name, request.TextColumn, StringComparison.OrdinalIgnoreCase)))
            throw new CorpusException($"{name} has no '{request.TextColumn}' column to classify (columns: {string.Join(", ", columns.Select(c => c.Name))}).");
        if (!columns.Any(c => string.Equals(c.Name, request.LabelColumn, StringComparison.OrdinalIgnoreCase)))
            throw new CorpusException(NoLabels(name, columns.Select(c => c.Name)));
        return LabelledDataset.FromCsv(file, request.TextColumn, request.LabelColumn);
    }

    /// <summary>Columns of a CSV that can serve as labels: not the text, with 2..<see cref="MaxClasses"/> distinct values
    /// that repeat (a column of unique values is an id, not a label).</summary>
    public static IReadOnlyList<string> LabelColumns(string csv, string textColumn = "text") =>
        [.. LabelledDataset.DescribeColumns(csv)
            .Where(c => !string.Equals(c.Name, textColumn, StringComparison.OrdinalIgnoreCase) && c.Distinct is >= 2 and <= MaxClasses && c.Distinct < c.Filled)
            .Select(c => c.Name)];

    public static string NoLabels(string file, IEnumerable<string> columns) =>
        $"{file} has no labels to learn from (columns: {string.Join(", ", columns)}). Label the reviews first — add a column " +
        "such as sentiment or category with a value on each row — or classify them with an existing classifier (Roadmap → Evidence).";

    /// <summary>The shape to train: the base model's (its context cannot change), else the preset with the chosen context.</summary>
    public static GptConfig ModelConfig(TrainingRequest request)
    {
        if (request.BaseModel is { } basePath)
        {
            var config = Gpt2Weights.ReadConfig(basePath);
            if (request.Context is { } context && context != config.ContextLength)
                throw new CheckpointException($"The base model was trained with a context of {config.ContextLength} tokens; keep that context (or train from scratch).");
            return config;
        }
        var preset = GptConfig.Preset(request.Preset);
        return (preset with { ContextLength = request.Context ?? preset.ContextLength }).Validated();
    }

    /// <summary>Why this request cannot train, in one sentence, or null when its data and base model are usable.</summary>
    public static string? Problem(TrainingRequest request)
    {
        try
        {
            var config = ModelConfig(request);
            if (request.Task == TrainingTask.Classifier)
            {
                LoadLabelled(request);
                return null;
            }
            var loaded = LoadDocuments(request);
            if (loaded.Documents.Count == 0)
                return "The chosen data holds no readable text" + (loaded.Warnings.Count > 0 ? $" ({string.Join("; ", loaded.Warnings)})." : ".");
            TokenDataset.Build(loaded.Documents, config.ContextLength, seed: 1);
            return null;
        }
        catch (Exception e) when (e is CorpusException or CheckpointException or ArgumentException or IOException)
        {
            return e.Message;
        }
    }
}
