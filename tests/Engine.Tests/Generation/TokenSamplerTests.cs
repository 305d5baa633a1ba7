using Planner.Engine.Generation;

namespace Planner.Engine.Tests.Generation;

public class TokenSamplerTests
{
    private static readonly float[] Logits = [1.0f, 3.0f, 2.9f, -1.0f, 0.5f];

    [Fact]
    public void Zero_temperature_is_greedy()
    {
        Assert.Equal(1, TokenSampler.Sample(Logits, new GenerationOptions { Temperature = 0 }, new Random(1)));
    }

    [Fact]
    public void Top_k_draws_only_from_the_k_most_likely_tokens()
    {
        var drawn = Enumerable.Range(0, 500).Select(i => TokenSampler.Sample(Logits, new GenerationOptions { Temperature = 5, TopK = 2, TopP = 1 }, new Random(i))).ToHashSet();
        Assert.Equal([1, 2], drawn.Order());
    }

    [Fact]
    public void Top_p_keeps_the_smallest_set_reaching_the_probability_mass()
    {
        // Probabilities ≈ [0.06, 0.44, 0.40, 0.01, 0.04]: 0.5 needs tokens 1 and 2; 0.3 needs token 1 only.
        var half = Enumerable.Range(0, 500).Select(i => TokenSampler.Sample(Logits, new GenerationOptions { Temperature = 1, TopK = 0, TopP = 0.5 }, new Random(i))).ToHashSet();
        Assert.Equal([1, 2], half.Order());
        var narrow = Enumerable.Range(0, 100).Select(i => TokenSampler.Sample(Logits, new GenerationOptions { Temperature = 1, TopK = 0, TopP = 0.3 }, new Random(i))).ToHashSet();
        Assert.Equal([1], narrow);
        var all = Enumerable.Range(0, 3000).Select(i => TokenSampler.Sample(Logits, new GenerationOptions { Temperature = 1, TopK = 0, TopP = 1 }, new Random(i))).ToHashSet();
        Assert.Equal(5, all.Count);
    }

    [Fact]
    public void The_kept_candidates_are_the_largest_logits_in_order_whichever_way_they_are_found()
    {
        // A vocabulary-sized array with repeated values: the heap (few kept) and the full sort (many kept) agree with a
        // plain ordering by descending logit, equal logits by index.
        var random = new Random(7);
        var logits = Enumerable.Range(0, 50_257).Select(_ => (float)Math.Round(random.NextDouble() * 20 - 10, 2)).ToArray();
        foreach (var count in new[] { 1, 40, 6_000, 50_257 })
        {
            var expected = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ThenBy(i => i).Take(count).ToArray();
            Assert.Equal(expected, TokenSampler.Largest(logits, count));
        }
    }
}
