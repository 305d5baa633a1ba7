using System.Diagnostics;
using Planner.Engine.Model;
using Planner.Engine.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Bench;

/// <summary>Training tokens/s of a model shape and its model FLOP utilisation (MFU): achieved training FLOP/s divided by
/// the FLOP/s of a large matrix multiply measured in the same process, so the ratio holds on any machine.</summary>
public static class TrainingThroughput
{
    /// <summary>nanoGPT's estimate: 6 FLOPs per parameter per token (forward + backward) plus attention's 12·L·C·T;
    /// position embeddings are excluded (a lookup, not a matmul), the tied token embedding is the LM head's matmul.</summary>
    public static double FlopsPerToken(GptConfig c, long parameters) =>
        6.0 * (parameters - (long)c.ContextLength * c.Embedding) + 12.0 * c.Layers * c.Embedding * c.ContextLength;

    /// <summary>FLOP/s of an n×n float32 matmul (2n³ per product), best of a few repeats.</summary>
    public static double MatmulFlops(int n = 2048, int repeats = 5)
    {
        using var a = randn(n, n);
        using var b = randn(n, n);
        using (var warm = a.mm(b)) { }
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using var c = a.mm(b);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best;
    }

    /// <summary>Mean tokens/s over <paramref name="steps"/> optimizer steps after one warm-up step.</summary>
    public static (double TokensPerSecond, long Parameters) Measure(GptConfig config, int batch, int steps)
    {
        using var model = new Gpt(config, seed: 1);
        using var optimizer = new AdamWOptimizer(model.named_parameters());
        model.train();
        var generator = new Random(1);
        double seconds = 0;
        for (var step = 0; step <= steps; step++)
        {
            using var scope = NewDisposeScope();
            var ids = Enumerable.Range(0, batch * (config.ContextLength + 1)).Select(_ => (long)generator.Next(config.VocabSize)).ToArray();
            var data = tensor(ids, [batch, config.ContextLength + 1]);
            var clock = Stopwatch.StartNew();
            optimizer.ZeroGrad();
            var logits = model.forward(data[.., ..^1]);
            var loss = F.cross_entropy(logits.view(-1, config.VocabSize), data[.., 1..].reshape(-1));
            loss.backward();
            optimizer.Step(1e-4);
            if (step > 0) seconds += clock.Elapsed.TotalSeconds;                       // step 0 warms up allocators and kernels
        }
        return (steps * (double)batch * config.ContextLength / seconds, model.ParameterCount());
    }
}
