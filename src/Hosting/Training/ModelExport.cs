using Planner.Engine.Export;
using Planner.Engine.Training;
using Planner.Files;
using Planner.Llm;

namespace Planner.Hosting.Training;

/// <summary>A language model from a checkpoint to the place it is used: a GGUF for llama.cpp (F32, F16, Q8_0, Q4_K_M or Q5_K_M) or Hugging
/// Face GPT-2 safetensors; a run's GGUF into the model registry, chosen as the active model.</summary>
public sealed class ModelExport(PlannerPaths paths, LanguageModelRuntime runtime)
{
    /// <summary>Writes the checkpoint at <paramref name="checkpoint"/> (a checkpoint or run folder: best, else latest) to
    /// <paramref name="file"/>: safetensors when it ends so, else a GGUF of <paramref name="type"/>.</summary>
    public static void Write(string checkpoint, string file, ModelFileType type)
    {
        var (model, metadata) = CheckpointModels.LoadLanguageModel(TrainingOutput.Resolve(checkpoint).Path);
        using (model)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            var name = $"planner-gpt2-{metadata.Model.Layers}x{metadata.Model.Embedding}-step{metadata.Step}";
            if (file.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                HuggingFaceGpt2.Save(model, file);
            else if (type is ModelFileType.Q4_K_M or ModelFileType.Q5_K_M)
                Quantize(model, file, type, name);
            else
                GgufExporter.Export(model, file, type switch { ModelFileType.F32 => GgufDataType.F32, ModelFileType.F16 => GgufDataType.F16, _ => GgufDataType.Q8_0 }, name);
        }
    }

    /// <summary>A k-quant: the F16 export, then llama.cpp's quantiser into a temp file beside the target, renamed over
    /// it only when whole (the one quantiser there is; writing k-quants ourselves would be a second GGUF writer to keep
    /// in step with llama.cpp's block layouts).</summary>
    private static void Quantize(Engine.Model.Gpt model, string file, ModelFileType type, string name)
    {
        var full = Path.GetFullPath(file);
        var f16 = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.f16.tmp");
        var quantized = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            GgufExporter.Export(model, f16, GgufDataType.F16, name);
            LlamaNativeLibrary.Configure(null);
            // The quantiser's own P/Invoke runs before LLamaSharp's loader has chosen a build when nothing in this
            // process used llama.cpp yet (a fresh `planner export-model --dtype q4_k_m` failed with DllNotFoundException):
            // load the library through the loader first.
            LLama.Native.NativeApi.llama_empty_call();
            var ftype = type == ModelFileType.Q4_K_M ? LLama.Native.LLamaFtype.MOSTLY_Q4_K_M : LLama.Native.LLamaFtype.MOSTLY_Q5_K_M;
            if (!LLama.LLamaQuantizer.Quantize(f16, quantized, ftype, Math.Max(1, Environment.ProcessorCount)))
                throw new IOException($"llama.cpp could not quantise the model to {type}.");
            GgufReader.Read(quantized); // the result is checked like any model file before it takes the name
            File.Move(quantized, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(f16)) File.Delete(f16);
            if (File.Exists(quantized)) File.Delete(quantized);
        }
    }

    /// <summary>Writes a finished run's model into Planner's models folder, makes it the active model, and returns its file.</summary>
    public string ExportAndUse(RunFolder run, ModelFileType type = ModelFileType.Q8_0)
    {
        Directory.CreateDirectory(paths.ExportedModelsDirectory);
        var name = Path.GetFileName(Path.GetFullPath(run.Directory).TrimEnd(Path.DirectorySeparatorChar));
        var file = Path.Combine(paths.ExportedModelsDirectory, $"{name}-{type.ToString().ToLowerInvariant()}.gguf");
        Write(run.Directory, file, type);
        runtime.Choose(file);
        return file;
    }
}
