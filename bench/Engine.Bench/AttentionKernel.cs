using System.Diagnostics;
using System.Globalization;
using System.Text;
using Planner.Engine.Model;
using Planner.Engine.Native;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Bench;

/// <summary>Causal attention at a model's shape, forward and backward timed apart (shortest of the repeats): the
/// Engine's fused kernel on one thread and on libtorch's count, and libtorch's flash kernel from the same rows, with the
/// speed of the tile work each does (the causal half of the products: two forward, five backward with the scores made
/// again) and a square multiply measured in the same process. On a thread of its own with the heap kept, as the trainers
/// run. The rows are float32 or bfloat16 (mixed precision's, the arithmetic float32 in the kernel).</summary>
public static class AttentionKernel
{
    public static string Measure(GptConfig config, int batch, ScalarType type, int repeats = 6)
    {
        var text = new StringBuilder();
        EngineNative.PrepareTrainingThread();
        using var heap = EngineNative.HoldTrainingHeap();                          // as the trainers hold it
        var (t, c, heads) = (config.ContextLength, config.Embedding, config.Heads);
        using var qkv = randn(batch, t, 3 * c, dtype: type);
        using var gradOutput = randn(batch, t, c, dtype: type);
        var tiles = (t + 63) / 64;
        var product = 2.0 * batch * heads * (tiles * 64.0) * (tiles * 64.0) * (c / heads) * (tiles + 1) / (2.0 * tiles);
        var peak = TrainingThroughput.MatmulFlops();
        text.AppendLine(Invariant($"2048×2048 float32 multiply: {peak / 1e9:F1} GFLOP/s; attention at {batch}×{t}, {heads} heads of {c / heads}, {(type == ScalarType.BFloat16 ? "bfloat16" : "float32")} rows"));
        text.AppendLine(Invariant($"fused kernel's vectors: {(CausalAttentionKernel.Wide ? 512 : System.Numerics.Vector<float>.Count * 32)} bits"));
        if (FusedCausalAttention.Applies(qkv, heads))
            foreach (var threads in new[] { 1, get_num_threads() }.Distinct())
            {
                double forward = double.MaxValue, backward = double.MaxValue;
                for (var r = 0; r <= repeats; r++)
                {
                    var clock = Stopwatch.StartNew();
                    var (output, logSumExp) = FusedCausalAttention.Forward(qkv, heads, threads);
                    forward = Math.Min(forward, clock.Elapsed.TotalSeconds);
                    clock.Restart();
                    using var grad = FusedCausalAttention.Backward(qkv, output, logSumExp, gradOutput, heads, threads);
                    backward = Math.Min(backward, clock.Elapsed.TotalSeconds);
                    output.Dispose();
                    logSumExp.Dispose();
                }
                text.AppendLine(Invariant($"fused kernel, {threads} thread{(threads == 1 ? "" : "s")}: forward {forward * 1e3:F1} ms ({2 * product / forward / 1e9:F0} GFLOP/s of tile work), backward {backward * 1e3:F1} ms ({5 * product / backward / 1e9:F0} GFLOP/s)"));
            }
        else text.AppendLine("fused kernel: does not apply on this processor or shape");
        {
            double forward = double.MaxValue, whole = double.MaxValue;
            for (var r = 0; r <= repeats; r++)
            {
                using var scope = NewDisposeScope();
                var rows = qkv.detach().requires_grad_();
                var clock = Stopwatch.StartNew();
                var parts = rows.split(c, dim: 2);
                var (q, k, v) = (parts[0].view(batch, t, heads, c / heads).transpose(1, 2), parts[1].view(batch, t, heads, c / heads).transpose(1, 2),
                    parts[2].view(batch, t, heads, c / heads).transpose(1, 2));
                var y = F.scaled_dot_product_attention(q, k, v, is_casual: true).transpose(1, 2).contiguous().view(batch, t, c);
                forward = Math.Min(forward, clock.Elapsed.TotalSeconds);
                var start = clock.Elapsed.TotalSeconds;
                y.backward([gradOutput]);
                whole = Math.Min(whole, clock.Elapsed.TotalSeconds - start);
            }
            text.AppendLine(Invariant($"libtorch (scaled_dot_product_attention, with the model's transposes): forward {forward * 1e3:F1} ms, backward {whole * 1e3:F1} ms"));
        }
        return text.ToString();
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
