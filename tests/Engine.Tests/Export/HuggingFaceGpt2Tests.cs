using System.Text;
using System.Text.Json;
using Planner.Engine.Export;
using Planner.Engine.Model;
using Planner.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Tests.Export;

public class HuggingFaceGpt2Tests
{
    private static readonly GptConfig Config = new(VocabSize: 101, ContextLength: 256, Layers: 2, Heads: 4, Embedding: 32);

    /// <summary>HF GPT-2 layout, written by hand: Conv1D weights [in, out], causal-mask buffers, a tied lm_head.</summary>
    private static Dictionary<string, Tensor> HuggingFaceWeights(int seed)
    {
        var g = new Generator((ulong)seed);
        Tensor R(params long[] shape) => torch.randn(shape, generator: g) * 0.1;
        int e = Config.Embedding;
        var w = new Dictionary<string, Tensor>
        {
            ["transformer.wte.weight"] = R(Config.VocabSize, e),
            ["transformer.wpe.weight"] = R(Config.ContextLength, e),
            ["transformer.ln_f.weight"] = 1 + R(e),
            ["transformer.ln_f.bias"] = R(e),
        };
        for (var i = 0; i < Config.Layers; i++)
        {
            var p = $"transformer.h.{i}.";
            w[p + "ln_1.weight"] = 1 + R(e); w[p + "ln_1.bias"] = R(e);
            w[p + "attn.bias"] = torch.ones(Config.ContextLength, Config.ContextLength).tril().view(1, 1, Config.ContextLength, Config.ContextLength);
            w[p + "attn.masked_bias"] = torch.tensor(-1e4f);
            w[p + "attn.c_attn.weight"] = R(e, 3 * e); w[p + "attn.c_attn.bias"] = R(3 * e);
            w[p + "attn.c_proj.weight"] = R(e, e); w[p + "attn.c_proj.bias"] = R(e);
            w[p + "ln_2.weight"] = 1 + R(e); w[p + "ln_2.bias"] = R(e);
            w[p + "mlp.c_fc.weight"] = R(e, 4 * e); w[p + "mlp.c_fc.bias"] = R(4 * e);
            w[p + "mlp.c_proj.weight"] = R(4 * e, e); w[p + "mlp.c_proj.bias"] = R(e);
        }
        w["lm_head.weight"] = w["transformer.wte.weight"];
        return w;
    }

    /// <summary>A safetensors file written byte by byte (header JSON padded to 8 bytes, then raw little-endian F32).</summary>
    private static void WriteSafetensors(string path, Dictionary<string, Tensor> tensors)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        long offset = 0;
        foreach (var (name, t) in tensors)
        {
            var length = t.numel() * 4;
            header[name] = new { dtype = "F32", shape = t.shape, data_offsets = new[] { offset, offset + length } };
            offset += length;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        json = [.. json, .. Enumerable.Repeat((byte)' ', (8 - json.Length % 8) % 8)];
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((ulong)json.Length));
        file.Write(json);
        foreach (var t in tensors.Values) file.Write(t.contiguous().bytes);
    }

    /// <summary>GPT-2's forward written directly against HF's layout: x @ W + b, explicit masked softmax attention.</summary>
    private static Tensor ReferenceLogits(Dictionary<string, Tensor> w, Tensor idx)
    {
        long t = idx.shape[1], c = Config.Embedding, hs = c / Config.Heads;
        var x = w["transformer.wte.weight"][idx] + w["transformer.wpe.weight"][torch.arange(t)];
        var mask = torch.ones(t, t).tril().eq(0);
        Tensor Split(Tensor z) => z.view(1, t, Config.Heads, hs).transpose(1, 2);
        for (var i = 0; i < Config.Layers; i++)
        {
            var p = $"transformer.h.{i}.";
            var h = F.layer_norm(x, [c], w[p + "ln_1.weight"], w[p + "ln_1.bias"]);
            var qkv = (h.matmul(w[p + "attn.c_attn.weight"]) + w[p + "attn.c_attn.bias"]).split(c, 2);
            var att = Split(qkv[0]).matmul(Split(qkv[1]).transpose(-2, -1)) / Math.Sqrt(hs);
            var y = att.masked_fill(mask, double.NegativeInfinity).softmax(-1).matmul(Split(qkv[2])).transpose(1, 2).contiguous().view(1, t, c);
            x = x + y.matmul(w[p + "attn.c_proj.weight"]) + w[p + "attn.c_proj.bias"];
            h = F.layer_norm(x, [c], w[p + "ln_2.weight"], w[p + "ln_2.bias"]);
            h = F.gelu(h.matmul(w[p + "mlp.c_fc.weight"]) + w[p + "mlp.c_fc.bias"], TorchSharp.Modules.GELU.Approximate.tanh);
            x = x + h.matmul(w[p + "mlp.c_proj.weight"]) + w[p + "mlp.c_proj.bias"];
        }
        x = F.layer_norm(x, [c], w["transformer.ln_f.weight"], w["transformer.ln_f.bias"]);
        return x.matmul(w["transformer.wte.weight"].t());
    }

    [Fact]
    public void Hugging_face_gpt2_safetensors_import_gives_the_reference_logits()
    {
        using var dir = new TempFolder();
        using var scope = torch.NewDisposeScope();
        var hf = HuggingFaceWeights(seed: 1);
        WriteSafetensors(dir.File("model.safetensors"), hf);

        using var model = new Gpt(Config);
        HuggingFaceGpt2.Import(dir.File("model.safetensors"), model);
        model.eval();
        using var _ = torch.no_grad();
        var idx = torch.randint(0, Config.VocabSize, [1, 20], generator: new Generator(2));
        var ours = model.forward(idx);
        var reference = ReferenceLogits(hf, idx);
        var diff = (ours - reference).abs().max().item<float>();
        Assert.True(diff < 1e-4, $"max |diff| = {diff}");
    }

    [Fact]
    public void Saved_hf_compatible_safetensors_load_back_as_the_same_model()
    {
        using var dir = new TempFolder();
        using var model = new Gpt(Config, seed: 3);
        HuggingFaceGpt2.Save(model, dir.File("hf.safetensors"));
        var saved = CheckpointStore.ReadSafetensors(dir.File("hf.safetensors"));
        Assert.Equal([32L, 96], saved["h.0.attn.c_attn.weight"].shape);                 // Conv1D layout [in, out]
        Assert.True(HuggingFaceGpt2.LooksLikeHuggingFace(saved));

        using var loaded = new Gpt(Config, seed: 4);
        HuggingFaceGpt2.LoadAny(dir.File("hf.safetensors"), loaded);
        foreach (var (name, value) in model.state_dict())
            Assert.True(value.equal(loaded.state_dict()[name]).all().item<bool>(), name);
    }

    [Fact]
    public void Importing_into_a_preset_of_another_shape_is_a_clear_error()
    {
        using var dir = new TempFolder();
        using var scope = torch.NewDisposeScope();
        WriteSafetensors(dir.File("model.safetensors"), HuggingFaceWeights(seed: 5));
        using var other = new Gpt(Config with { Embedding = 64 });
        var error = Assert.Throws<CheckpointException>(() => HuggingFaceGpt2.Import(dir.File("model.safetensors"), other));
        Assert.Contains("does not fit", error.Message);
    }
}
