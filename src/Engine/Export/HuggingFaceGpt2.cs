using Planner.Engine.Model;
using Planner.Engine.Training;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Planner.Engine.Export;

/// <summary>Hugging Face GPT-2 safetensors in and out. HF's GPT-2 uses Conv1D layers whose weights are [in, out]; ours
/// are Linear [out, in], so those four matrices are transposed. The causal-mask buffers (<c>.attn.bias</c>,
/// <c>.attn.masked_bias</c>) and the tied <c>lm_head.weight</c> carry no information and are dropped.</summary>
public static class HuggingFaceGpt2
{
    private static readonly string[] Conv1DWeights = ["attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight"];

    private static bool IsConv1DWeight(string name) => Conv1DWeights.Any(name.EndsWith);

    /// <summary>Loads HF GPT-2 weights (e.g. the 124M model's model.safetensors into the gpt2 preset).</summary>
    public static void Import(string path, Gpt model)
    {
        using var scope = NewDisposeScope();                                         // frees the transposed copies
        var hf = CheckpointStore.ReadSafetensors(path);
        try
        {
            var state = ToOurLayout(hf);
            CheckpointStore.LoadStateDictInto(state, model, path);
        }
        finally
        {
            foreach (var t in hf.Values) t.Dispose();
        }
    }

    public static Dictionary<string, Tensor> ToOurLayout(IReadOnlyDictionary<string, Tensor> hf)
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var (original, value) in hf)
        {
            var name = original.StartsWith("transformer.", StringComparison.Ordinal) ? original["transformer.".Length..] : original;
            if (name.EndsWith(".attn.bias", StringComparison.Ordinal) || name.EndsWith(".attn.masked_bias", StringComparison.Ordinal) || name == "lm_head.weight") continue;
            state[name] = IsConv1DWeight(name) ? value.t() : value;
        }
        return state;
    }

    /// <summary>True when a state dict is in HF's layout (prefix, mask buffers, or Conv1D-shaped c_fc).</summary>
    public static bool LooksLikeHuggingFace(IReadOnlyDictionary<string, Tensor> state) =>
        state.Keys.Any(k => k.StartsWith("transformer.", StringComparison.Ordinal) || k.EndsWith(".attn.bias", StringComparison.Ordinal) || k == "lm_head.weight")
        || state.FirstOrDefault(kv => kv.Key.EndsWith("mlp.c_fc.weight", StringComparison.Ordinal)).Value is { } fc && fc.shape[1] == 4 * fc.shape[0];

    /// <summary>Writes the model as an HF-compatible GPT-2 safetensors file (Conv1D layout, HF key names).</summary>
    public static void Save(Gpt model, string path)
    {
        using var scope = NewDisposeScope();
        var state = model.state_dict().ToDictionary(kv => kv.Key, kv => IsConv1DWeight(kv.Key) ? kv.Value.t().contiguous() : kv.Value.contiguous());
        var temp = $"{path}.tmp-{Guid.NewGuid():N}";
        try
        {
            using (var file = File.Create(temp)) Safetensors.SaveStateDict(file, state, leaveOpen: true);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Loads weights from a checkpoint directory (or a run's, its best checkpoint else its latest), our
    /// model.safetensors, or an HF GPT-2 safetensors file.</summary>
    public static void LoadAny(string path, Gpt model)
    {
        if (Directory.Exists(path))
        {
            CheckpointStore.LoadModel(TrainingOutput.Resolve(path).Path, model);
            return;
        }
        using var scope = NewDisposeScope();
        var state = CheckpointStore.ReadSafetensors(path);
        try
        {
            CheckpointStore.LoadStateDictInto(LooksLikeHuggingFace(state) ? ToOurLayout(state) : state, model, path);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }
}
