using Planner.Engine.Export;
using Planner.Engine.Training;
using Planner.Files;
using Planner.Llm;

namespace Planner.Hosting.Training;

/// <summary>A language model from a checkpoint to the place it is used: a GGUF for llama.cpp (F32, F16 or Q8_0) or Hugging
/// Face GPT-2 safetensors; a run's GGUF into the model registry, chosen as the active model.</summary>
public sealed class ModelExport(PlannerPaths paths, LanguageModelRuntime runtime)
{
    /// <summary>Writes the checkpoint at <paramref name="checkpoint"/> (a checkpoint or run folder: best, else latest) to
    /// <paramref name="file"/>: safetensors when it ends so, else a GGUF of <paramref name="type"/>.</summary>
    public static void Write(string checkpoint, string file, GgufDataType type)
    {
        var (model, metadata) = CheckpointModels.LoadLanguageModel(TrainingOutput.Resolve(checkpoint).Path);
        using (model)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            if (file.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                HuggingFaceGpt2.Save(model, file);
            else
                GgufExporter.Export(model, file, type, name: $"planner-gpt2-{metadata.Model.Layers}x{metadata.Model.Embedding}-step{metadata.Step}");
        }
    }

    /// <summary>Writes a finished run's model into Planner's models folder, makes it the active model, and returns its file.</summary>
    public string ExportAndUse(RunFolder run, GgufDataType type = GgufDataType.Q8_0)
    {
        Directory.CreateDirectory(paths.ExportedModelsDirectory);
        var name = Path.GetFileName(Path.GetFullPath(run.Directory).TrimEnd(Path.DirectorySeparatorChar));
        var file = Path.Combine(paths.ExportedModelsDirectory, $"{name}-{type.ToString().ToLowerInvariant()}.gguf");
        Write(run.Directory, file, type);
        runtime.Choose(file);
        return file;
    }
}
