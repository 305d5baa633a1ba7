using Planner.Engine.Generation;
using Planner.Engine.Model;
using Planner.Engine.Tokenization;
using TorchSharp;

namespace Planner.Engine.Tests.Generation;

public class TextGeneratorTests
{
    private static readonly GptConfig Config = new(GptConfig.Gpt2VocabSize, ContextLength: 256, Layers: 2, Heads: 2, Embedding: 32);

    [Fact]
    public void Greedy_output_with_the_kv_cache_equals_output_without_it()
    {
        // Larger-than-default init so the greedy path is not one repeated token.
        using var model = new Gpt(Config, seed: 5);
        using (torch.no_grad()) foreach (var p in model.parameters()) if (p.dim() >= 2) p.mul_(8);
        var prompt = Gpt2Tokenizer.Instance.Encode("The roadmap for next quarter");
        var greedy = new GenerationOptions { Temperature = 0, MaxTokens = 30, StopAtEndOfText = false };
        var cached = TextGenerator.GenerateTokens(model, prompt, greedy).ToList();
        var uncached = TextGenerator.GenerateTokens(model, prompt, greedy with { UseKvCache = false }).ToList();
        Assert.Equal(30, cached.Count);
        Assert.Equal(uncached, cached);
        Assert.True(cached.Distinct().Count() > 1, "degenerate output would not exercise the cache");
    }

    [Fact]
    public void Cached_logits_match_full_sequence_logits_at_every_position()
    {
        using var model = new Gpt(Config, seed: 6);
        model.eval();
        using var _ = torch.no_grad();
        using var idx = torch.randint(0, Config.VocabSize, [1, 12], dtype: torch.ScalarType.Int64);
        using var full = model.forward(idx);
        using var cache = model.NewCache();
        using var prefix = model.forward(idx[.., ..5], cache);                        // prefill several tokens at once
        using var chunk = model.forward(idx[.., 5..8], cache);                        // then a chunk (masked attention)
        Assert.True(prefix.allclose(full[.., ..5], rtol: 1e-4, atol: 1e-5));
        Assert.True(chunk.allclose(full[.., 5..8], rtol: 1e-4, atol: 1e-5));
        for (var t = 8; t < 12; t++)
        {
            using var one = model.forward(idx[.., t..(t + 1)], cache);
            Assert.True(one.allclose(full[.., t..(t + 1)], rtol: 1e-4, atol: 1e-5), $"position {t}");
        }
        Assert.Equal(12, cache.Length);
    }

    [Fact]
    public void The_last_positions_logits_alone_equal_that_position_of_the_full_logits()
    {
        using var model = new Gpt(Config, seed: 6);
        model.eval();
        using var _ = torch.no_grad();
        using var idx = torch.randint(0, Config.VocabSize, [2, 9], dtype: torch.ScalarType.Int64);
        using var full = model.forward(idx);
        using var last = model.LastLogits(idx, null);
        Assert.Equal([2L, Config.VocabSize], last.shape);
        Assert.True(last.allclose(full[.., -1], rtol: 1e-4, atol: 1e-5));
        using var cache = model.NewCache();
        using var prefix = model.LastLogits(idx[.., ..6], cache);                     // with a cache: the prompt, then one token
        using var next = model.LastLogits(idx[.., 6..7], cache);
        Assert.True(prefix.allclose(full[.., 5], rtol: 1e-4, atol: 1e-5));
        Assert.True(next.allclose(full[.., 6], rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Generation_never_runs_past_the_context()
    {
        using var model = new Gpt(Config, seed: 7);
        var longPrompt = Enumerable.Range(0, 300).Select(i => i % 1000).ToList();
        var produced = TextGenerator.GenerateTokens(model, longPrompt, new GenerationOptions { MaxTokens = 100, StopAtEndOfText = false, Seed = 1 }).Count();
        Assert.Equal(1, produced); // the prompt keeps its last 255 tokens; one more fills the 256 context

        var near = longPrompt.Take(250).ToList();
        Assert.Equal(6, TextGenerator.GenerateTokens(model, near, new GenerationOptions { MaxTokens = 100, StopAtEndOfText = false, Seed = 1 }).Count());
    }

    [Fact]
    public void Generation_stops_at_end_of_text()
    {
        using var model = new Gpt(Config, seed: 8);
        using (torch.no_grad())
        {
            // Make <|endoftext|> every position's favourite: the final hidden state becomes the unit vector e0, and
            // only the end-of-text embedding has a component along e0.
            var state = model.state_dict();
            state["ln_f.weight"].zero_();
            state["ln_f.bias"].zero_()[0] = 1;
            state["wte.weight"][.., 0] = 0;
            state["wte.weight"][Gpt2Tokenizer.EndOfText, 0] = 10;
        }
        var options = new GenerationOptions { MaxTokens = 20, Seed = 3, Temperature = 0.7 };
        Assert.Empty(TextGenerator.GenerateTokens(model, [464, 3290], options));
        Assert.Equal(20, TextGenerator.GenerateTokens(model, [464, 3290], options with { StopAtEndOfText = false }).Count());
    }

    [Fact]
    public void Sampling_is_reproducible_by_seed()
    {
        using var model = new Gpt(Config, seed: 9);
        var options = new GenerationOptions { MaxTokens = 10, Temperature = 1.0, TopK = 0, TopP = 1.0, StopAtEndOfText = false, Seed = 42 };
        var a = TextGenerator.GenerateTokens(model, [464], options).ToList();
        var b = TextGenerator.GenerateTokens(model, [464], options).ToList();
        var c = TextGenerator.GenerateTokens(model, [464], options with { Seed = 43 }).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
