using Planner.Engine.Model;
using Planner.Engine.Training;

namespace Planner.Engine.Export;

/// <summary>What model a weights file or checkpoint folder holds, read from its header or config.json only (no
/// weights are loaded): the GPT-2 shape to build before importing it, or a clear error when it is not GPT-2.</summary>
public static class Gpt2Weights
{
    /// <summary>GPT-2 and the presets all use 64-wide attention heads; a safetensors file does not record the count.</summary>
    public const int HeadSize = 64;

    public static GptConfig ReadConfig(string path)
    {
        if (Directory.Exists(path))
        {
            path = TrainingOutput.Resolve(path).Path; // a checkpoint folder, or a run's best (else latest) checkpoint
            var metadata = CheckpointStore.ReadMetadata(path);
            if (metadata.Kind != CheckpointMetadata.LanguageModel)
                throw new CheckpointException($"'{path}' holds a {metadata.Kind}; start from a language model's checkpoint.");
            return metadata.Model;
        }
        var shapes = SafetensorsHeader.Read(path).Shapes;
        long[]? Shape(string name) => shapes.GetValueOrDefault(name) ?? shapes.GetValueOrDefault("transformer." + name);
        if (Shape("wte.weight") is not [var vocab, var width] || Shape("wpe.weight") is not [var context, _] || Shape("ln_f.weight") is null)
            throw new CheckpointException($"{Path.GetFileName(path)} is not a GPT-2 model: it has no wte/wpe/ln_f weights " +
                                          $"(its tensors start {string.Join(", ", shapes.Keys.Order(StringComparer.Ordinal).Take(4))}).");
        var layers = shapes.Keys.Select(LayerOf).Where(l => l >= 0).DefaultIfEmpty(-1).Max() + 1;
        if (vocab != GptConfig.Gpt2VocabSize)
            throw new CheckpointException($"{Path.GetFileName(path)} has a {vocab}-token vocabulary; GPT-2's BPE has {GptConfig.Gpt2VocabSize}.");
        try
        {
            return new GptConfig((int)vocab, (int)context, layers, Math.Max(1, (int)width / HeadSize), (int)width).Validated();
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException($"{Path.GetFileName(path)} cannot be used: {e.Message}", e);
        }
    }

    private static int LayerOf(string name)
    {
        var local = name.StartsWith("transformer.", StringComparison.Ordinal) ? name["transformer.".Length..] : name;
        if (!local.StartsWith("h.", StringComparison.Ordinal)) return -1;
        var end = local.IndexOf('.', 2);
        return end > 2 && int.TryParse(local[2..end], out var layer) ? layer : -1;
    }
}
