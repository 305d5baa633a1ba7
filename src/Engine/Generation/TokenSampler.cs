namespace Planner.Engine.Generation;

/// <summary>Picks the next token from one position's logits: temperature, then top-k, then top-p (nucleus).</summary>
public static class TokenSampler
{
    public static int Sample(ReadOnlySpan<float> logits, GenerationOptions options, Random random)
    {
        if (options.Temperature <= 0) return ArgMax(logits);

        var order = Enumerable.Range(0, logits.Length).ToArray();
        var scaled = new double[logits.Length];
        for (var i = 0; i < logits.Length; i++) scaled[i] = logits[i] / options.Temperature;
        Array.Sort(scaled.Select(v => -v).ToArray(), order);                        // indices by descending logit
        var keep = options.TopK > 0 ? Math.Min(options.TopK, order.Length) : order.Length;

        // Softmax over the kept candidates (max-subtracted for stability).
        var top = scaled[order[0]];
        var probabilities = new double[keep];
        double total = 0;
        for (var i = 0; i < keep; i++) total += probabilities[i] = Math.Exp(scaled[order[i]] - top);

        // Nucleus: the smallest prefix whose probability reaches TopP (always at least one token).
        if (options.TopP is > 0 and < 1)
        {
            double cumulative = 0;
            for (var i = 0; i < keep; i++)
            {
                cumulative += probabilities[i] / total;
                if (cumulative >= options.TopP) { keep = i + 1; break; }
            }
            total = probabilities.Take(keep).Sum();
        }

        var draw = random.NextDouble() * total;
        for (var i = 0; i < keep; i++)
        {
            draw -= probabilities[i];
            if (draw <= 0) return order[i];
        }
        return order[keep - 1];
    }

    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
