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
    /// (a classifier's transformer starting from a pretraining run).</summary>
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
        using var student = new SentenceStudent(metadata.Model, StudentDimensions(directory));
        CheckpointStore.LoadModel(directory, student);
        using var _ = TorchSharp.torch.no_grad();
        var source = student.Transformer.state_dict();
        foreach (var (name, value) in target.state_dict())
        {
            if (!source.TryGetValue(name, out var from) || !from.shape.SequenceEqual(value.shape))
                throw new CheckpointException($"'{directory}' does not fit this model: '{name}' differs.");
            value.copy_(from);
        }
    }

    /// <summary>The embedding width a sentence-student checkpoint projects to, read from its weights' header.</summary>
    private static int StudentDimensions(string directory) =>
        SafetensorsHeader.Read(CheckpointStore.ModelPath(directory)).Shapes.TryGetValue("projection.weight", out var shape) && shape is [var rows, _]
            ? (int)rows
            : throw new CheckpointException($"'{directory}' lacks the student's projection.");
}
