using System.Text;
using LLama;
using LLama.Common;
using LLama.Sampling;
using Planner.Engine.Export;
using Planner.Engine.Model;
using Planner.Engine.Tokenization;
using TorchSharp;
using Xunit.Abstractions;

namespace Planner.Engine.Tests.Export;

public class GgufExporterTests(ITestOutputHelper output)
{
    private static readonly GptConfig Config = new(GptConfig.Gpt2VocabSize, ContextLength: 256, Layers: 2, Heads: 4, Embedding: 64);
    private const string Prompt = "The roadmap for Q3: ship invoicing, fix the QBO import, and";

    /// <summary>A random tiny model with confident logits and non-trivial LayerNorms, so any layout error shows.</summary>
    private static Gpt NewModel()
    {
        var model = new Gpt(Config, seed: 11);
        using var _ = torch.no_grad();
        var g = new torch.Generator(12);
        foreach (var (name, p) in model.named_parameters())
        {
            if (p.dim() >= 2) p.mul_(6);
            else if (name.EndsWith(".weight", StringComparison.Ordinal)) p.copy_(1 + 0.2 * torch.randn(p.shape, generator: g));
            else p.copy_(0.1 * torch.randn(p.shape, generator: g));
        }
        return model;
    }

    private static float[][] TorchLogits(Gpt model, int[] tokens)
    {
        model.eval();
        using var _ = torch.no_grad();
        using var logits = model.forward(torch.tensor(tokens.Select(t => (long)t).ToArray()).unsqueeze(0));
        return [.. Enumerable.Range(0, tokens.Length).Select(i => logits[0, i].data<float>().ToArray())];
    }

    private (double MaxAbsDiff, int ArgmaxAgreements) Compare(GgufDataType type, out string path, TempFolder dir)
    {
        using var model = NewModel();
        path = dir.File($"tiny-{type}.gguf");
        GgufExporter.Export(model, path, type);
        var tokens = Gpt2Tokenizer.Instance.Encode(Prompt);
        var expected = TorchLogits(model, tokens);
        using var weights = LlamaCpp.Load(path);

        // llama.cpp tokenizes with the embedded vocabulary and merges exactly like tiktoken.
        var llamaTokens = weights.Tokenize(Prompt, false, false, Encoding.UTF8).Select(t => (int)t).ToArray();
        Assert.Equal(tokens, llamaTokens);
        Assert.Equal(256, weights.ContextSize);

        var actual = LlamaCpp.Logits(weights, path, tokens);
        double maxDiff = 0;
        var agreements = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            for (var v = 0; v < Config.VocabSize; v++) maxDiff = Math.Max(maxDiff, Math.Abs(actual[i][v] - expected[i][v]));
            if (Array.IndexOf(actual[i], actual[i].Max()) == Array.IndexOf(expected[i], expected[i].Max())) agreements++;
        }
        var scale = expected.SelectMany(r => r).Max(Math.Abs);
        output.WriteLine($"{type}: max |logit diff| = {maxDiff:E3} (logit scale {scale:F2}); argmax agrees at {agreements}/{tokens.Length} positions");
        return (maxDiff, agreements);
    }

    [Fact]
    public void An_f32_export_gives_llama_cpp_the_same_next_token_logits_as_torchsharp()
    {
        using var dir = new TempFolder();
        var (diff, agreements) = Compare(GgufDataType.F32, out _, dir);
        Assert.True(diff < 5e-3, $"max diff {diff}");
        Assert.Equal(Gpt2Tokenizer.Instance.Encode(Prompt).Length, agreements);
    }

    [Fact]
    public void An_f16_export_stays_close_to_torchsharp()
    {
        using var dir = new TempFolder();
        var (diff, agreements) = Compare(GgufDataType.F16, out _, dir);
        Assert.True(diff < 0.1, $"max diff {diff}");
        Assert.True(agreements >= Gpt2Tokenizer.Instance.Encode(Prompt).Length - 1);
    }

    [Fact]
    public async Task A_q8_0_export_loads_and_generates()
    {
        using var dir = new TempFolder();
        var (diff, _) = Compare(GgufDataType.Q8_0, out var path, dir);
        Assert.True(diff < 1.0, $"max diff {diff}");
        Assert.True(new FileInfo(path).Length < new FileInfo(Export(GgufDataType.F16, dir)).Length);

        using var weights = LlamaCpp.Load(path);
        var executor = new StatelessExecutor(weights, LlamaCpp.Parameters(path));
        var inference = new InferenceParams { MaxTokens = 16, SamplingPipeline = new DefaultSamplingPipeline { Temperature = 0.8f, Seed = 1 } };
        var pieces = 0;
        await foreach (var _ in executor.InferAsync("Once upon a time", inference)) pieces++;
        Assert.InRange(pieces, 1, 16);
    }

    private static string Export(GgufDataType type, TempFolder dir)
    {
        using var model = NewModel();
        var path = dir.File($"size-{type}.gguf");
        GgufExporter.Export(model, path, type);
        return path;
    }

    [Fact]
    public void The_export_carries_gpt2_metadata_and_llama_cpp_tensor_names()
    {
        using var dir = new TempFolder();
        var path = Export(GgufDataType.F32, dir);
        var header = Planner.Llm.GgufReader.Read(path);
        Assert.Equal("gpt2", header.Architecture);
        Assert.Equal(256, header.ContextLength);
        Assert.Equal("gpt-2", header.Metadata["tokenizer.ggml.pre"]);
        Assert.Equal("50256", header.Metadata["tokenizer.ggml.eos_token_id"]);
        Assert.Contains("blk.1.attn_qkv.weight", header.TensorNames);
        Assert.Contains("position_embd.weight", header.TensorNames);
        Assert.DoesNotContain(header.TensorNames, n => n.StartsWith("h.", StringComparison.Ordinal));
    }
}
