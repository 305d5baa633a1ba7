using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Planner.Engine.Native;
using static TorchSharp.torch;

namespace Planner.Engine.Model;

/// <summary>
/// The tied head's cross-entropy over a slice of logits and its gradient, one row at a time: each row's maximum, then
/// the sum of its exponentials, then (when learning) scale·(softmax − one-hot) written over the row, or rounded into a
/// bfloat16 buffer for the products that follow in mixed precision. A row (50,257 floats at GPT-2's vocabulary) stays in
/// the core's cache between the three, so memory sees one read of the logits and one write of the gradient.
/// libtorch's operations (maximum, subtract and exponentiate, sum, scale, one-hot, then the copy into bfloat16) pass
/// over the whole slice six or seven times (docs/benchmarks.md, "The head's loss and gradient row by row"). Written here
/// because libtorch has no fused softmax cross-entropy with its gradient for the CPU.
/// </summary>
internal static unsafe class CrossEntropyRows
{
    /// <summary>False: libtorch's operations everywhere (the Engine bench's side-by-side, and tests comparing the two).</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>True: 512-bit vectors (where they run in hardware); false: the platform's own. Tests set it.</summary>
    internal static bool Wide { get; set; } = Vector512.IsHardwareAccelerated;

    /// <summary>Whether this applies: float32 logits on the CPU, rows readable as one span, targets as 64-bit integers,
    /// and a gradient (if any) of the logits' shape in float32 (then the logits themselves) or bfloat16.</summary>
    public static bool Applies(Tensor logits, Tensor targets, Tensor? gradient) =>
        Enabled && logits.device_type == TorchSharp.DeviceType.CPU && logits.dtype == ScalarType.Float32 && logits.dim() == 2 && logits.is_contiguous()
        && targets.dtype == ScalarType.Int64 && targets.device_type == TorchSharp.DeviceType.CPU && targets.numel() == logits.shape[0]
        && logits.numel() <= int.MaxValue / sizeof(float)
        && (gradient is null || gradient.dtype is ScalarType.Float32 or ScalarType.BFloat16 && gradient.dim() == 2 && gradient.is_contiguous()
            && gradient.shape[0] >= logits.shape[0] && gradient.shape[1] == logits.shape[1] && gradient.device_type == TorchSharp.DeviceType.CPU
            && (gradient.dtype == ScalarType.BFloat16 || Same(gradient, logits)))
        && (Wide ? Vector512.IsHardwareAccelerated : Vector.IsHardwareAccelerated);

    private static bool Same(Tensor a, Tensor b) => TensorMemory.Start(a) == TensorMemory.Start(b);

    /// <summary>The sum over the rows of logsumexp(row) − row[target] (each row's cross-entropy), in double. With
    /// <paramref name="gradient"/>, also <paramref name="scale"/>·(softmax(row) − one-hot(target)) into its first rows:
    /// over the logits themselves (float32) or rounded to the nearest bfloat16. Check <see cref="Applies"/> first.</summary>
    public static double LossAndGradient(Tensor logits, Tensor targets, float scale, Tensor? gradient, int threads)
    {
        var (rows, width) = ((int)logits.shape[0], (int)logits.shape[1]);
        using var contiguousTargets = targets.reshape(-1).contiguous();
        if (rows > 0 && (contiguousTargets.min().item<long>() < 0 || contiguousTargets.max().item<long>() >= width))
            throw new ArgumentOutOfRangeException(nameof(targets), $"A target is outside the {width} logits of a row."); // read below unchecked
        var x = (float*)TensorMemory.Start(logits);
        var y = (long*)TensorMemory.Start(contiguousTargets);
        var g = gradient is null ? null : (byte*)TensorMemory.Start(gradient);
        var bfloat16 = gradient?.dtype == ScalarType.BFloat16;
        if (rows == 0) return 0;
        var wide = Wide;
        const int Block = 16; // rows a part takes at a time
        var blocks = (rows + Block - 1) / Block;
        var losses = new double[blocks]; // one sum per block, added in order: the same loss however the blocks were shared
        RowWorkers.ForEach(blocks, threads, block =>
        {
            double loss = 0;
            for (var r = (int)block * Block; r < Math.Min(rows, ((int)block + 1) * Block); r++)
                loss += Row(x + (long)r * width, width, y[r], scale, g is null ? null : g + (long)r * width * (bfloat16 ? 2 : 4), bfloat16, wide);
            losses[block] = loss;
        });
        double total = 0;
        foreach (var loss in losses) total += loss;
        return total;
    }

    /// <summary>One row's loss; its gradient into <paramref name="gradient"/> when given.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Row(float* row, int width, long target, float scale, byte* gradient, bool bfloat16, bool wide)
    {
        var picked = row[target];
        var max = wide ? Max512(row, width) : MaxNarrow(row, width);
        var sum = wide ? ExpSum512(row, width, max) : ExpSumNarrow(row, width, max);
        if (gradient is not null)
        {
            var factor = scale / sum;
            if (wide) Gradient512(row, width, max, factor, gradient, bfloat16);
            else GradientNarrow(row, width, max, factor, gradient, bfloat16);
            // The one-hot part, from the probability in float32.
            var probability = MathF.Exp(picked - max) * factor;
            if (bfloat16) ((ushort*)gradient)[target] = CausalAttentionKernel.ToBfloat16(probability - scale);
            else ((float*)gradient)[target] = probability - scale;
        }
        return Math.Log(sum) + max - picked;
    }

    private static float Max512(float* row, int width)
    {
        var most = Vector512.Create(float.NegativeInfinity);
        var i = 0;
        for (; i <= width - 16; i += 16) most = Vector512.Max(most, Vector512.Load(row + i));
        var top = float.NegativeInfinity;
        for (var e = 0; e < 16; e++) top = MathF.Max(top, most[e]);
        for (; i < width; i++) top = MathF.Max(top, row[i]);
        return top;
    }

    private static float ExpSum512(float* row, int width, float max)
    {
        var (m, sum) = (Vector512.Create(max), Vector512<float>.Zero);
        var i = 0;
        for (; i <= width - 16; i += 16) sum += CausalAttentionKernel.Exp(Vector512.Load(row + i) - m);
        var total = Vector512.Sum(sum);
        for (; i < width; i++) total += MathF.Exp(row[i] - max);
        return total;
    }

    private static void Gradient512(float* row, int width, float max, float factor, byte* gradient, bool bfloat16)
    {
        var (m, f) = (Vector512.Create(max), Vector512.Create(factor));
        var i = 0;
        for (; i <= width - 16; i += 16)
        {
            var p = CausalAttentionKernel.Exp(Vector512.Load(row + i) - m) * f;
            if (bfloat16) CausalAttentionKernel.ToBfloat16(p).Store((ushort*)gradient + i);
            else p.Store((float*)gradient + i);
        }
        Tail(row, i, width, max, factor, gradient, bfloat16);
    }

    private static float MaxNarrow(float* row, int width)
    {
        var n = Vector<float>.Count;
        var most = new Vector<float>(float.NegativeInfinity);
        var i = 0;
        for (; i <= width - n; i += n) most = Vector.Max(most, Vector.Load(row + i));
        var top = float.NegativeInfinity;
        for (var e = 0; e < n; e++) top = MathF.Max(top, most[e]);
        for (; i < width; i++) top = MathF.Max(top, row[i]);
        return top;
    }

    private static float ExpSumNarrow(float* row, int width, float max)
    {
        var n = Vector<float>.Count;
        var (m, sum) = (new Vector<float>(max), Vector<float>.Zero);
        var i = 0;
        for (; i <= width - n; i += n) sum += CausalAttentionKernel.Exp(Vector.Load(row + i) - m);
        var total = Vector.Sum(sum);
        for (; i < width; i++) total += MathF.Exp(row[i] - max);
        return total;
    }

    private static void GradientNarrow(float* row, int width, float max, float factor, byte* gradient, bool bfloat16)
    {
        var n = Vector<float>.Count;
        var (m, f) = (new Vector<float>(max), new Vector<float>(factor));
        var i = 0;
        if (bfloat16)
            for (; i <= width - 2 * n; i += 2 * n)
            {
                var low = CausalAttentionKernel.ToBfloat16(CausalAttentionKernel.Exp(Vector.Load(row + i) - m) * f);
                var high = CausalAttentionKernel.ToBfloat16(CausalAttentionKernel.Exp(Vector.Load(row + i + n) - m) * f);
                Vector.Narrow(low, high).Store((ushort*)gradient + i);
            }
        else
            for (; i <= width - n; i += n) (CausalAttentionKernel.Exp(Vector.Load(row + i) - m) * f).Store((float*)gradient + i);
        Tail(row, i, width, max, factor, gradient, bfloat16);
    }

    private static void Tail(float* row, int from, int width, float max, float factor, byte* gradient, bool bfloat16)
    {
        for (var i = from; i < width; i++)
        {
            var p = MathF.Exp(row[i] - max) * factor;
            if (bfloat16) ((ushort*)gradient)[i] = CausalAttentionKernel.ToBfloat16(p);
            else ((float*)gradient)[i] = p;
        }
    }
}
