using static TorchSharp.torch;

namespace Planner.Engine.Native;

/// <summary>
/// The bfloat16 matrix product with a float32 result, <c>cblas_gemm_bf16bf16f32</c> of the Intel Math Kernel Library
/// inside libtorch: C = α·op(A)·op(B) + β·C with A and B in bfloat16 and C in float32, accumulated in float32.
/// libtorch offers no product whose result is wider than its operands, so bfloat16 mixed precision computed a
/// bfloat16 result and widened it, and added weight gradients into their float32 ones in a pass of their own; its own
/// bfloat16 product with the left side transposed (every weight gradient's shape) also ran barely faster than float32.
/// MKL's writes or adds the float32 result in one call (docs/benchmarks.md, "MKL's bfloat16 product into float32").
/// </summary>
internal static class MklBf16Product
{
    private const int RowMajor = 101, NoTranspose = 111, Transpose = 112;

    private static readonly Lazy<nint> Export = new(() => MklDispatch.LibtorchExport("cblas_gemm_bf16bf16f32") ?? 0);

    /// <summary>False: mixed precision keeps libtorch's products everywhere (the Engine bench's side-by-side).</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>True: applies also where MKL's kernels for bfloat16 hardware do not run (a processor without it, or MKL
    /// left to its own vendor check), where MKL computes the same products slower — for tests on every machine.</summary>
    internal static bool EvenWithoutHardware { get; set; }

    /// <summary>Whether mixed precision takes this product: libtorch exports it, and MKL runs its bfloat16 kernels here
    /// (a processor with AVX-512 BF16 or AMX, and MKL choosing its kernels by instruction set: an Intel processor, or its
    /// vendor check interposed by <see cref="MklDispatch"/>).</summary>
    public static bool Applies => Enabled && Export.Value != 0 && (EvenWithoutHardware || FastHere);

    private static bool FastHere => CpuFeatures.Current.HasBfloat16
        && MklDispatch.Status?.Outcome is MklDispatchOutcome.Interposed or MklDispatchOutcome.NotNeeded;

    /// <summary><paramref name="c"/> = <paramref name="alpha"/>·op(<paramref name="a"/>)·op(<paramref name="b"/>) +
    /// <paramref name="beta"/>·<paramref name="c"/>, op transposing where asked. <paramref name="a"/> and
    /// <paramref name="b"/>: contiguous 2-D bfloat16; <paramref name="c"/>: contiguous 2-D float32 (rows narrowed from
    /// a larger one will do), all on the CPU. With β = 0, C's old values are not read.</summary>
    public static unsafe void Multiply(Tensor a, bool transposeA, Tensor b, bool transposeB, Tensor c, float beta = 0, float alpha = 1)
    {
        if (Export.Value == 0) throw new InvalidOperationException("libtorch exports no cblas_gemm_bf16bf16f32 here; check Applies first.");
        Check(a, ScalarType.BFloat16, nameof(a));
        Check(b, ScalarType.BFloat16, nameof(b));
        Check(c, ScalarType.Float32, nameof(c));
        var (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1]);
        var (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1]);
        if (k != kb || c.shape[0] != m || c.shape[1] != n)
            throw new ArgumentException($"Shapes do not multiply: op(a) {m}×{k}, op(b) {kb}×{n}, c {c.shape[0]}×{c.shape[1]}.");
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (beta == 0) c.zero_();
            else if (beta != 1) c.mul_(beta);
            return;
        }
        var gemm = (delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, void*, int, void*, int, float, void*, int, void>)Export.Value;
        gemm(RowMajor, transposeA ? Transpose : NoTranspose, transposeB ? Transpose : NoTranspose, (int)m, (int)n, (int)k,
            alpha, TensorMemory.Start(a), (int)a.shape[1], TensorMemory.Start(b), (int)b.shape[1], beta, TensorMemory.Start(c), (int)c.shape[1]);
    }

    private static void Check(Tensor t, ScalarType type, string name)
    {
        if (t.dtype != type || t.dim() != 2 || t.device_type != TorchSharp.DeviceType.CPU || !t.is_contiguous())
            throw new ArgumentException($"'{name}' must be a contiguous 2-D {type} tensor on the CPU (is {t.dtype}, {t.dim()}-D, {t.device_type}, contiguous: {t.is_contiguous()}).", name);
        // MKL's LP64 interface takes 32-bit dimensions and strides.
        if (t.shape[0] > int.MaxValue || t.shape[1] > int.MaxValue)
            throw new ArgumentException($"'{name}' has a dimension past MKL's 32-bit sizes.", name);
    }
}
