using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Planner.Engine.Native;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Model;

/// <summary>
/// A linear layer applied to a single row, x·Wᵀ + b: what every product of a decoding step is (batch 1, one new token).
/// Such a product reads each weight once and does two flops with it, so memory bandwidth bounds it, and libtorch's BLAS
/// reads the weights at about the speed of one thread here even when it runs two (docs/benchmarks.md, "Engine: decoding
/// near the memory roofline"). This splits the weight's rows among libtorch's intra-op thread count (on
/// <see cref="RowWorkers"/>, awake between the products of a step) and takes each row's dot product with 256-bit
/// vectors, which reads at the speed of all of them (while the step's own libtorch
/// operations run on the calling thread alone, <see cref="LibtorchThreads"/>). Everything else — more than one
/// row, gradients being recorded, another type or device, a CPU without 256-bit vectors — goes to libtorch's
/// <c>linear</c> unchanged, so training and every batched product keep libtorch's kernels.
/// </summary>
internal static class RowProduct
{
    /// <summary>Weights smaller than this are multiplied on the calling thread: splitting them costs more than it saves.</summary>
    internal const long SplitFromBytes = 1 << 20;

    /// <summary><paramref name="x"/>·<paramref name="weight"/>ᵀ + <paramref name="bias"/>, as <c>F.linear</c>.</summary>
    /// <remarks>Split among threads only where libtorch runs the caller's thread alone (<see cref="LibtorchThreads.Alone"/>, as
    /// a decoding step does): elsewhere libtorch's OpenMP workers spin on the cores after each operation, and a split
    /// product competing with them was measured slower than one thread.</remarks>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias) =>
        Applies(x, weight, bias) ? Multiply(x, weight, bias, LibtorchThreads.ForRowProducts) : F.linear(x, weight, bias);

    /// <summary>Whether <see cref="Linear"/> computes this product itself: one float32 row on the CPU, no gradient
    /// recorded, a contiguous float32 weight under 2 GiB, and 256-bit vectors in hardware.</summary>
    internal static bool Applies(Tensor x, Tensor weight, Tensor? bias) =>
        Vector256.IsHardwareAccelerated
        && !is_grad_enabled()
        && x.device_type == DeviceType.CPU && weight.device_type == DeviceType.CPU
        && x.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32
        && weight.dim() == 2 && weight.is_contiguous() && weight.numel() <= int.MaxValue / sizeof(float) // read as one span
        && x.dim() >= 1 && x.shape[^1] == weight.shape[1] && x.numel() == weight.shape[1]
        && (bias is null || (bias.device_type == DeviceType.CPU && bias.dtype == ScalarType.Float32 && bias.dim() == 1
                             && bias.shape[0] == weight.shape[0]));

    /// <summary>The product on <paramref name="threads"/> threads (1: the calling thread alone). Callers check
    /// <see cref="Applies"/> first.</summary>
    internal static unsafe Tensor Multiply(Tensor x, Tensor weight, Tensor? bias, int threads)
    {
        int rows = checked((int)weight.shape[0]), columns = checked((int)weight.shape[1]);
        var row = x.contiguous();
        var b = bias?.contiguous();
        var output = empty([.. x.shape[..^1], rows], ScalarType.Float32);
        fixed (byte* w = weight.bytes)
        fixed (byte* input = row.bytes)
        fixed (byte* result = output.bytes)
        fixed (byte* offsets = b is null ? default : b.bytes)
            Multiply((float*)w, (float*)input, (float*)result, (float*)offsets, rows, columns, threads);
        if (!ReferenceEquals(row, x)) row.Dispose();
        if (b is not null && !ReferenceEquals(b, bias)) b.Dispose();
        return output;
    }

    /// <summary>output[r] = weight[r]·x + bias[r] (bias may be null) for the <paramref name="rows"/> rows of a row-major
    /// weight, split among <paramref name="threads"/> threads when the weight is large enough to gain from it.</summary>
    internal static unsafe void Multiply(float* weight, float* x, float* output, float* bias, int rows, int columns, int threads)
    {
        var job = new Job(weight, x, output, bias, columns);
        var parts = (long)rows * columns * sizeof(float) < SplitFromBytes ? 1 : Math.Clamp(threads, 1, rows);
        if (parts == 1) job.Rows(0, rows);
        else RowWorkers.Run(parts, part => job.Rows((int)((long)rows * part / parts), (int)((long)rows * (part + 1) / parts)));
    }

    /// <summary>Pointers into tensors the caller keeps alive and pinned for the whole product.</summary>
    private readonly unsafe struct Job(float* weight, float* x, float* output, float* bias, int columns)
    {
        private readonly float* weight = weight, x = x, output = output, bias = bias;
        private readonly int columns = columns;

        public void Rows(int from, int to)
        {
            for (var r = from; r < to; r++)
                output[r] = Dot(weight + (long)r * columns, x, columns) + (bias is null ? 0f : bias[r]);
        }
    }

    /// <summary>Four independent accumulators, so consecutive fused multiply-adds do not wait on each other.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe float Dot(float* a, float* b, int length)
    {
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        var i = 0;
        for (; i + 32 <= length; i += 32)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + 8), Vector256.Load(b + i + 8), s1);
            s2 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + 16), Vector256.Load(b + i + 16), s2);
            s3 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + 24), Vector256.Load(b + i + 24), s3);
        }
        for (; i + 8 <= length; i += 8) s0 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), s0);
        var sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        for (; i < length; i++) sum += a[i] * b[i];
        return sum;
    }
}
