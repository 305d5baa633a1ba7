namespace Planner.Engine.Generation;

/// <summary>Picks the next token from one position's logits: temperature, then top-k, then top-p (nucleus).</summary>
public static class TokenSampler
{
    public static int Sample(ReadOnlySpan<float> logits, GenerationOptions options, Random random)
    {
        if (options.Temperature <= 0) return ArgMax(logits);

        var keep = options.TopK > 0 ? Math.Min(options.TopK, logits.Length) : logits.Length;
        var order = Largest(logits, keep); // the kept candidates, by descending logit (temperature keeps the order)

        // Softmax over the kept candidates (max-subtracted for stability).
        var top = logits[order[0]] / options.Temperature;
        var probabilities = new double[keep];
        double total = 0;
        for (var i = 0; i < keep; i++) total += probabilities[i] = Math.Exp(logits[order[i]] / options.Temperature - top);

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

    /// <summary>The indices of the <paramref name="count"/> largest logits, largest first (equal logits by index). A
    /// heap of <paramref name="count"/> over one pass when that is a small part of the vocabulary (top-k 40 of 50,257:
    /// most logits are compared once and dropped), else one sort of them all.</summary>
    internal static int[] Largest(ReadOnlySpan<float> logits, int count)
    {
        static int Descending((float Logit, int Index) a, (float Logit, int Index) b) =>
            a.Logit != b.Logit ? b.Logit.CompareTo(a.Logit) : a.Index.CompareTo(b.Index);
        (float Logit, int Index)[] kept;
        if (count * 8 >= logits.Length)
        {
            kept = new (float, int)[logits.Length];
            for (var i = 0; i < logits.Length; i++) kept[i] = (logits[i], i);
        }
        else
        {
            // A min-heap on (logit, then the larger index first), so its root is the candidate to drop next.
            var heap = new PriorityQueue<int, (float Logit, int Index)>(count, Comparer<(float Logit, int Index)>.Create((a, b) => Descending(b, a)));
            for (var i = 0; i < logits.Length; i++)
            {
                if (heap.Count < count) heap.Enqueue(i, (logits[i], i));
                else if (heap.TryPeek(out _, out var weakest) && Descending((logits[i], i), weakest) < 0) heap.EnqueueDequeue(i, (logits[i], i));
            }
            kept = new (float, int)[heap.Count];
            var n = 0;
            while (heap.TryDequeue(out var index, out _)) kept[n++] = (logits[index], index);
        }
        Array.Sort(kept, Descending);
        return [.. kept.Take(count).Select(k => k.Index)];
    }

    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
