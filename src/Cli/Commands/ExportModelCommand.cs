using System.CommandLine;
using Planner.Engine.Export;
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
        var dtype = new Option<string>("--dtype") { Description = "GGUF weight type: f32, f16 or q8_0.", DefaultValueFactory = _ => "f16" };
        dtype.AcceptOnlyFromAmong("f32", "f16", "q8_0");
        var command = new Command("export-model", "Export a trained model as GGUF (F32/F16/Q8_0) or Hugging Face safetensors.") { checkpoint, output, dtype };
        command.SetAction((parsed, ct) => ModelCommandOptions.Run(stderr, parsed, trainingProcess: false, async _ =>
        {
            var outPath = Path.GetFullPath(parsed.GetValue(output)!);
            var type = parsed.GetValue(dtype) switch { "f32" => GgufDataType.F32, "q8_0" => GgufDataType.Q8_0, _ => GgufDataType.F16 };
            ModelExport.Write(await ModelCommandOptions.CheckpointAsync(stderr, parsed.GetValue(checkpoint)!), outPath, type);
            await stdout.WriteLineAsync($"Wrote {outPath} ({new FileInfo(outPath).Length / 1e6:F1} MB).");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
