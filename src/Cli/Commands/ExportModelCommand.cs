using System.CommandLine;
using Planner.Hosting.Training;

namespace Planner.Cli.Commands;

/// <summary><c>planner export-model</c>: a checkpoint to a GGUF for llama.cpp, or to Hugging Face GPT-2 safetensors.
/// (Named export-model because <c>planner export</c> exports roadmaps.)</summary>
public static class ExportModelCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = ModelCommandOptions.Required("--checkpoint", "A language-model checkpoint folder, or its training run's folder.");
        var output = ModelCommandOptions.Required("--out", "model.gguf (llama.cpp) or model.safetensors (Hugging Face GPT-2 layout).");
        var dtype = new Option<string>("--dtype") { Description = "GGUF weight type: f32, f16, q8_0, or the k-quants q4_k_m and q5_k_m (made by llama.cpp's quantiser).", DefaultValueFactory = _ => "f16" };
        dtype.AcceptOnlyFromAmong("f32", "f16", "q8_0", "q4_k_m", "q5_k_m");
        var command = new Command("export-model", "Export a trained model as GGUF (F32/F16/Q8_0/Q4_K_M/Q5_K_M) or Hugging Face safetensors.") { checkpoint, output, dtype };
        command.SetAction((parsed, ct) => ModelCommandOptions.Run(stderr, parsed, trainingProcess: false, async _ =>
        {
            var outPath = Path.GetFullPath(parsed.GetValue(output)!);
            var type = parsed.GetValue(dtype) switch { "f32" => ModelFileType.F32, "q8_0" => ModelFileType.Q8_0, "q4_k_m" => ModelFileType.Q4_K_M, "q5_k_m" => ModelFileType.Q5_K_M, _ => ModelFileType.F16 };
            ModelExport.Write(await ModelCommandOptions.CheckpointAsync(stderr, parsed.GetValue(checkpoint)!), outPath, type);
            await stdout.WriteLineAsync($"Wrote {outPath} ({new FileInfo(outPath).Length / 1e6:F1} MB).");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
