using Planner.Engine.Model;

namespace Planner.Engine.Training;

/// <summary>Builds the model a checkpoint describes and loads its weights.</summary>
public static class CheckpointModels
{
    public static (Gpt Model, CheckpointMetadata Metadata) LoadLanguageModel(string directory)
    {
        var metadata = CheckpointStore.ReadMetadata(directory);
        if (metadata.Kind != CheckpointMetadata.LanguageModel)
            throw new CheckpointException($"'{directory}' holds a {metadata.Kind}, not a language model.");
        var model = new Gpt(metadata.Model);
        try { CheckpointStore.LoadModel(directory, model); }
        catch { model.Dispose(); throw; }
        return (model, metadata);
    }

    public static (ClassificationHead Model, CheckpointMetadata Metadata) LoadClassifier(string directory)
    {
        var metadata = CheckpointStore.ReadMetadata(directory);
        if (metadata.Kind != CheckpointMetadata.Classifier || metadata.Labels is not { Count: >= 2 })
            throw new CheckpointException($"'{directory}' holds a {metadata.Kind}, not a classifier with its labels.");
        var model = new ClassificationHead(metadata.Model, metadata.Labels.Count, pooling: metadata.Pooling ?? ClassifierPooling.Last);
        try { CheckpointStore.LoadModel(directory, model); }
        catch { model.Dispose(); throw; }
        return (model, metadata);
    }

    /// <summary>Loads the language model inside a language-model or sentence-student checkpoint into <paramref name="target"/>
    /// (a classifier's transformer starting from a pretraining run); a student's projection is left behind.</summary>
    public static void LoadTransformerInto(string directory, Gpt target)
    {
        var metadata = CheckpointStore.ReadMetadata(directory);
        if (metadata.Kind == CheckpointMetadata.LanguageModel)
        {
            CheckpointStore.LoadModel(directory, target);
            return;
        }
        if (metadata.Kind != CheckpointMetadata.SentenceStudent)
            throw new CheckpointException($"'{directory}' holds a {metadata.Kind}, not a language model or a sentence-encoder student.");
        const string Prefix = "transformer.";
        var path = CheckpointStore.ModelPath(directory);
        var state = CheckpointStore.ReadSafetensors(path);
        try
        {
            var transformer = state.Where(p => p.Key.StartsWith(Prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[Prefix.Length..], p => p.Value);
            CheckpointStore.LoadStateDictInto(transformer, target, path);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }
}
