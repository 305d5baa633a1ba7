using Planner.Engine.Generation;
using Planner.Engine.Model;
using static TorchSharp.torch;

namespace Planner.Engine.Tests.Model;

public class RowDecoderTests
{
    // Wide enough that the larger products split among threads (RowProduct.SplitFromBytes), small enough to be quick.
    private static readonly GptConfig Shape = new(VocabSize: 1000, ContextLength: 256, Layers: 2, Heads: 4, Embedding: 256);

    /// <summary>A model whose weights are far from the initialisation's small values, so attention is not uniform, GELU
    /// is not linear and the layer norms' gains and biases matter.</summary>
    private static Gpt Model(long seed)
    {
        var model = new Gpt(Shape, seed);
        using var generator = new Generator((ulong)seed + 1);
        using (no_grad())
            foreach (var p in model.parameters()) p.add_(randn(p.shape, generator: generator) * 0.3);
        model.eval();
        return model;
    }

    [Fact]
    public void Each_step_gives_libtorchs_logits_from_the_prompt_to_the_end_of_the_context()
    {
        using var model = Model(3);
        using var _ = no_grad();
        using var reference = model.NewCache();
        using var prompt = tensor(new long[] { 5, 17, 900, 42, 7 }, [1, 5]);
        using var first = model.LastLogits(prompt, reference);
        using var decoder = new RowDecoder(model, reference);
        Assert.Equal(5, decoder.Length);
        var token = first[0].argmax().item<long>();
        var compared = 0;
        while (decoder.Length < Shape.ContextLength)
        {
            var ours = decoder.Step((int)token);
            using var input = tensor(new[] { token }, [1, 1]);
            using var expected = model.LastLogits(input, reference)[0];
            using var actual = tensor(ours);
            // Float32 sums in another order: seen up to about one part in 70,000 of the logits' scale over this run.
            var scale = Math.Max(1f, expected.abs().max().item<float>());
            var difference = (actual - expected).abs().max().item<float>();
            Assert.True(difference <= 5e-5f * scale, $"step {compared}: largest difference {difference}, logits up to {scale}");
            token = (expected.argmax().item<long>() + compared) % Shape.VocabSize; // varied tokens, not one repeated
            compared++;
        }
        Assert.Equal(Shape.ContextLength - 5, compared);
        Assert.Throws<InvalidOperationException>(() => decoder.Step(1)); // the context is full: never past it
    }

    [Fact]
    public void A_token_outside_the_vocabulary_is_refused_the_decoder_stays_where_it_was_and_a_disposed_one_refuses_to_step()
    {
        using var model = Model(4);
        using var _ = no_grad();
        using var cache = model.NewCache();
        using var prompt = tensor(new long[] { 1, 2 }, [1, 2]);
        model.LastLogits(prompt, cache).Dispose();
        using var decoder = new RowDecoder(model, cache);
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Step(Shape.VocabSize));
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Step(-1));
        Assert.Equal(2, decoder.Length);
        decoder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => decoder.Step(1)); // its buffers are gone: never read freed memory
    }

    [Fact]
    public void Generation_uses_it_for_float32_and_leaves_a_mixed_precision_model_to_libtorch()
    {
        using var model = Model(5);
        Assert.True(RowDecoder.Applies(model));
        using (MixedPrecision.Use(model, ScalarType.BFloat16)) Assert.False(RowDecoder.Applies(model));
        Assert.True(RowDecoder.Applies(model));

        // Sampled generation with the decoder and through libtorch alone: same seed, same number of tokens, all in the
        // vocabulary; both stop at the context.
        var options = new GenerationOptions { MaxTokens = 400, Temperature = 0.8, Seed = 1, StopAtEndOfText = false };
        var withDecoder = TextGenerator.GenerateTokens(model, [1, 2, 3], options).ToList();
        Assert.Equal(Shape.ContextLength - 3, withDecoder.Count);
        Assert.All(withDecoder, t => Assert.InRange(t, 0, Shape.VocabSize - 1));
    }
}
