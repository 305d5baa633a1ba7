using Planner.Engine.Model;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Tests.Model;

public class GptTests
{
    private static readonly GptConfig Toy = new(VocabSize: 97, ContextLength: 256, Layers: 2, Heads: 2, Embedding: 32);

    [Fact]
    public void Forward_returns_logits_for_every_position()
    {
        torch.manual_seed(1);
        using var model = new Gpt(Toy);
        using var idx = torch.randint(0, Toy.VocabSize, [3, 11], dtype: ScalarType.Int64);
        using var logits = model.forward(idx);
        Assert.Equal(new long[] { 3, 11, 97 }, logits.shape);
        Assert.False(logits.isnan().any().item<bool>());
    }

    [Fact]
    public void The_model_is_causal_later_tokens_do_not_change_earlier_logits()
    {
        torch.manual_seed(2);
        using var model = new Gpt(Toy);
        model.eval();
        using var _ = torch.no_grad();
        using var a = torch.tensor(new long[] { 5, 9, 14, 3, 7 }).unsqueeze(0);
        using var b = torch.tensor(new long[] { 5, 9, 14, 60, 1 }).unsqueeze(0);
        using var la = model.forward(a);
        using var lb = model.forward(b);
        Assert.True(la[.., ..3].allclose(lb[.., ..3], rtol: 1e-5, atol: 1e-6));
        Assert.False(la[.., 3..].allclose(lb[.., 3..]));
    }

    [Fact]
    public void Presets_have_gpt2_parameter_names_and_the_gpt2_preset_has_124M_parameters()
    {
        using var model = new Gpt(Toy);
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("wte.weight", names);
        Assert.Contains("wpe.weight", names);
        Assert.Contains("h.1.attn.c_attn.weight", names);
        Assert.Contains("h.0.mlp.c_proj.bias", names);
        Assert.Contains("ln_f.bias", names);
        Assert.DoesNotContain(names, n => n.Contains("lm_head")); // the head is tied to wte

        // 124,439,808 = the published GPT-2 small count (tied head).
        var c = GptConfig.Gpt2;
        long perBlock = 2 * 2 * c.Embedding + (c.Embedding * 3 * c.Embedding + 3 * c.Embedding) + (c.Embedding * c.Embedding + c.Embedding)
                        + (c.Embedding * 4 * c.Embedding + 4 * c.Embedding) + (4 * c.Embedding * c.Embedding + c.Embedding);
        Assert.Equal(124_439_808, (long)c.VocabSize * c.Embedding + (long)c.ContextLength * c.Embedding + c.Layers * perBlock + 2 * c.Embedding);
        Assert.Equal(model.ParameterCount(), model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void A_few_steps_on_one_batch_reduce_the_loss()
    {
        torch.manual_seed(3);
        using var model = new Gpt(Toy);
        var optimizer = torch.optim.AdamW(model.parameters(), lr: 3e-3);
        using var batch = torch.randint(0, Toy.VocabSize, [4, 33], dtype: ScalarType.Int64);
        float first = 0, last = 0;
        for (var step = 0; step < 25; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var logits = model.forward(batch[.., ..^1]);
            var loss = F.cross_entropy(logits.reshape(-1, Toy.VocabSize), batch[.., 1..].reshape(-1));
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            if (step == 0) first = last;
        }
        Assert.True(last < first * 0.6, $"loss {first} -> {last}");
    }

    [Theory]
    [InlineData(100)]
    [InlineData(0)]
    public void Context_lengths_that_are_not_multiples_of_256_are_refused(int context)
    {
        Assert.Throws<ArgumentException>(() => (Toy with { ContextLength = context }).Validated());
    }

    [Fact]
    public void Width_must_divide_by_heads()
    {
        Assert.Throws<ArgumentException>(() => (Toy with { Heads = 3 }).Validated());
    }

    [Fact]
    public void A_seed_makes_initialisation_reproducible_whatever_the_global_random_state()
    {
        torch.manual_seed(1);
        using var a = new Gpt(Toy, seed: 42);
        torch.manual_seed(2);
        using var b = new Gpt(Toy, seed: 42);
        using var c = new Gpt(Toy, seed: 43);
        Assert.True(a.state_dict()["h.0.attn.c_attn.weight"].equal(b.state_dict()["h.0.attn.c_attn.weight"]).all().item<bool>());
        Assert.False(a.state_dict()["h.0.attn.c_attn.weight"].equal(c.state_dict()["h.0.attn.c_attn.weight"]).all().item<bool>());
    }
}
