using System.CommandLine;
using Planner.Engine.Model;
using Planner.Hosting.Training;

namespace Planner.Cli.Commands;

/// <summary>The training commands' model shape: <c>--preset</c>, and <c>--layers</c>, <c>--heads</c> and <c>--width</c>
/// overriding the preset's (nanoGPT's n_layer, n_head and n_embd), validated with the rest of the request by
/// <see cref="TrainingRequest.Problems"/>.</summary>
internal sealed class ModelShapeOptions
{
    public Option<string> Preset { get; } = ModelCommandOptions.Preset();

    public Option<int?> Layers { get; } = ModelCommandOptions.Int("--layers", $"Transformer layers instead of the preset's (1 to {TrainingRequest.MaxLayers}).");

    public Option<int?> Heads { get; } = ModelCommandOptions.Int("--heads", $"Attention heads instead of the preset's (1 to {TrainingRequest.MaxHeads}); the width must divide evenly among them.");

    public Option<int?> Width { get; } = ModelCommandOptions.Int("--width", $"Embedding width instead of the preset's: a multiple of 32, at most {TrainingRequest.MaxWidth}.");

    /// <summary>The shape options given with --resume that disagree with the checkpoint's model, in words. The preset is
    /// compared with the overrides given beside it applied (its context is compared by --context).</summary>
    public IEnumerable<string> Differences(ParseResult parsed, GptConfig saved)
    {
        if (parsed.GetResult(Preset) is { Implicit: false })
        {
            var name = parsed.GetValue(Preset)!;
            var preset = GptConfig.Preset(name);
            var shape = preset with
            {
                ContextLength = saved.ContextLength,
                Layers = parsed.GetValue(Layers) ?? preset.Layers,
                Heads = parsed.GetValue(Heads) ?? preset.Heads,
                Embedding = parsed.GetValue(Width) ?? preset.Embedding,
            };
            if (shape != saved) yield return $"--preset {name} (the checkpoint is {saved.Describe()})";
        }
        foreach (var (option, value) in new[] { (Layers, saved.Layers), (Heads, saved.Heads), (Width, saved.Embedding) })
            if (ModelCommandOptions.Differs(parsed, option, value) is { } difference) yield return difference;
    }
}
