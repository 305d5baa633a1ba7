using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Planner.Engine.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Planner.Engine.Model;

/// <summary>
/// GELU with the tanh approximation (as GPT-2 was trained), forward and backward each in one pass over the MLP's
/// activation: gelu(v) = 0.5·v·(1 + tanh(u)) = v·σ(2u), u = √(2/π)·(v + 0.044715·v³), and its derivative
/// σ(2u) + v·σ(2u)·(1 − σ(2u))·2u′, from the kernel's float32 exponential (<see cref="CausalAttentionKernel.Exp(Vector512{float})"/>).
/// libtorch's tanh GELU passes over the activation several times and its backward more (docs/benchmarks.md, "GELU in
/// one pass"). Float32 or bfloat16 values (the arithmetic in float32, bfloat16 results rounded to nearest even), on
/// libtorch's OpenMP team. Where it does not apply (another device or type, a CPU without vector hardware) the caller
/// keeps libtorch's <c>gelu</c>.
/// </summary>
/// <remarks>What the forward pass keeps for backward (its input) is released by backward, and each gradient handed
/// back is released at the next (<see cref="ReleasingFunction{TSelf, TSaved}"/>): callers run backward inside a dispose scope
/// and once per graph (no <c>retain_graph</c>).</remarks>
internal static unsafe class FusedGelu
{
    /// <summary>False: libtorch's GELU everywhere (the Engine bench's side-by-side, and tests comparing the two).</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>True: 512-bit vectors (where they run in hardware); false: the platform's own. Tests set it.</summary>
    internal static bool Wide { get; set; } = Vector512.IsHardwareAccelerated;

    private const float K = 0.7978845608028654f;       // √(2/π)
    private const float KA = K * 0.044715f;

    /// <summary>Values a part takes at a time: 64 KB of float32, whole vectors of either width.</summary>
    private const int Chunk = 16_384;

    /// <summary>Whether <see cref="Apply"/> takes <paramref name="x"/>: float32 or bfloat16 on the CPU, readable as one
    /// span, with the vectors the chosen width needs in hardware.</summary>
    public static bool Applies(Tensor x) =>
        Enabled && x.device_type == DeviceType.CPU && x.dtype is ScalarType.Float32 or ScalarType.BFloat16
        && x.numel() <= int.MaxValue / sizeof(float)
        && (Wide ? Vector512.IsHardwareAccelerated : Vector.IsHardwareAccelerated);

    /// <summary>GELU of <paramref name="x"/> (same shape and type); recorded for backward when gradients are on and
    /// <paramref name="x"/> requires them. Callers check <see cref="Applies"/> first.</summary>
    /// <param name="gradientInPlace">Backward writes the input's gradient over the output's gradient it is handed, with
    /// no allocation: only where the output has one consumer whose backward makes that gradient afresh (the MLP's c_proj
    /// product). Elsewhere that tensor may be another branch's gradient too (an addition hands the same one to both).</param>
    public static Tensor Apply(Tensor x, bool gradientInPlace = false)
    {
        if (!(is_grad_enabled() && x.requires_grad)) return Forward(x, get_num_threads());
        return Function.Record(x, gradientInPlace);
    }

    /// <summary>GELU of each value, into a new tensor, on <paramref name="threads"/> threads.</summary>
    internal static Tensor Forward(Tensor x, int threads)
    {
        var input = x.is_contiguous() ? x : x.contiguous();
        var output = empty(input.shape, input.dtype);
        var (from, to, bfloat16) = ((IntPtr)TensorMemory.Start(input), (IntPtr)TensorMemory.Start(output), input.dtype == ScalarType.BFloat16);
        Run(input.numel(), threads, (start, count) => Forward((byte*)from, (byte*)to, start, count, bfloat16));
        if (!ReferenceEquals(input, x)) input.Dispose();
        return output;
    }

    /// <summary>The input's gradient from the output's (<paramref name="gradOutput"/>, converted to the input's type
    /// where it differs), into a new tensor, on <paramref name="threads"/> threads.</summary>
    /// <param name="inPlace">Write the result over <paramref name="gradOutput"/> and return it, where it is contiguous and
    /// of the input's type (see <see cref="Apply"/>).</param>
    internal static Tensor Backward(Tensor x, Tensor gradOutput, int threads, bool inPlace = false)
    {
        if (!gradOutput.shape.SequenceEqual(x.shape)) throw new ArgumentException($"The gradient's shape [{string.Join(", ", gradOutput.shape)}] is not the input's [{string.Join(", ", x.shape)}].", nameof(gradOutput));
        var input = x.is_contiguous() ? x : x.contiguous();
        var grad = gradOutput.dtype == input.dtype && gradOutput.is_contiguous() ? gradOutput : gradOutput.to(input.dtype).contiguous();
        var gradInput = inPlace && ReferenceEquals(grad, gradOutput) ? gradOutput : empty(input.shape, input.dtype);
        var (values, gradients, into) = ((IntPtr)TensorMemory.Start(input), (IntPtr)TensorMemory.Start(grad), (IntPtr)TensorMemory.Start(gradInput));
        var bfloat16 = input.dtype == ScalarType.BFloat16;
        Run(input.numel(), threads, (start, count) => Backward((byte*)values, (byte*)gradients, (byte*)into, start, count, bfloat16));
        if (!ReferenceEquals(input, x)) input.Dispose();
        if (!ReferenceEquals(grad, gradOutput)) grad.Dispose();
        return ReferenceEquals(gradInput, gradOutput) ? gradInput.alias() : gradInput; // a handle of its own, as a new tensor would be
    }

    /// <summary>GELU of float32 values in place, on the calling thread (the decoding step's one row).</summary>
    internal static void ForwardInPlace(Span<float> values)
    {
        fixed (float* v = values) Forward((byte*)v, (byte*)v, 0, values.Length, bfloat16: false);
    }

    /// <summary><paramref name="body"/>(start, count) over <paramref name="values"/> values in chunks shared by up to
    /// <paramref name="threads"/> parts.</summary>
    private static void Run(long values, int threads, Action<long, int> body)
    {
        RowWorkers.ForEach((values + Chunk - 1) / Chunk, threads, chunk => body(chunk * Chunk, (int)Math.Min(Chunk, values - chunk * Chunk)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward(byte* x, byte* y, long start, int count, bool bfloat16)
    {
        var i = 0;
        if (Wide)
            for (; i <= count - 16; i += 16) Store512(y, start + i, bfloat16, Gelu(Load512(x, start + i, bfloat16)));
        else
        {
            var w = Vector<float>.Count;
            for (; i <= count - 2 * w; i += 2 * w)
            {
                var (lower, upper) = LoadPair(x, start + i, bfloat16);
                StorePair(y, start + i, bfloat16, Gelu(lower), Gelu(upper));
            }
        }
        for (; i < count; i++) Set(y, start + i, bfloat16, Gelu(Get(x, start + i, bfloat16)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Backward(byte* x, byte* g, byte* dx, long start, int count, bool bfloat16)
    {
        var i = 0;
        if (Wide)
            for (; i <= count - 16; i += 16)
                Store512(dx, start + i, bfloat16, Load512(g, start + i, bfloat16) * Slope(Load512(x, start + i, bfloat16)));
        else
        {
            var w = Vector<float>.Count;
            for (; i <= count - 2 * w; i += 2 * w)
            {
                var (x0, x1) = LoadPair(x, start + i, bfloat16);
                var (g0, g1) = LoadPair(g, start + i, bfloat16);
                StorePair(dx, start + i, bfloat16, g0 * Slope(x0), g1 * Slope(x1));
            }
        }
        for (; i < count; i++) Set(dx, start + i, bfloat16, Get(g, start + i, bfloat16) * Slope(Get(x, start + i, bfloat16)));
    }

    // v·σ(2u) with 2u = 2v·(K + KA·v²); σ(z) = 1 / (1 + e⁻ᶻ) (e⁻ᶻ clamped by Exp: σ of a very negative z is about 10⁻³⁸, not 0).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Gelu(Vector512<float> v) => v * Sigmoid2U(v, v * v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Gelu(Vector<float> v) => v * Sigmoid2U(v, v * v);

    private static float Gelu(float v) => v / (1 + MathF.Exp(-2 * v * (K + KA * v * v)));

    // d/dv v·σ(2u) = σ + v·σ·(1 − σ)·2u′, 2u′ = 2(K + 3·KA·v²).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Slope(Vector512<float> v)
    {
        var v2 = v * v;
        var s = Sigmoid2U(v, v2);
        var du = Vector512.FusedMultiplyAdd(v2, Vector512.Create(6 * KA), Vector512.Create(2 * K));
        return Vector512.FusedMultiplyAdd(v * s * (Vector512<float>.One - s), du, s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Slope(Vector<float> v)
    {
        var v2 = v * v;
        var s = Sigmoid2U(v, v2);
        var du = Vector.FusedMultiplyAdd(v2, new Vector<float>(6 * KA), new Vector<float>(2 * K));
        return Vector.FusedMultiplyAdd(v * s * (Vector<float>.One - s), du, s);
    }

    private static float Slope(float v)
    {
        var s = 1 / (1 + MathF.Exp(-2 * v * (K + KA * v * v)));
        return s + v * s * (1 - s) * (2 * K + 6 * KA * v * v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Sigmoid2U(Vector512<float> v, Vector512<float> v2)
    {
        var minus2U = v * Vector512.FusedMultiplyAdd(v2, Vector512.Create(-2 * KA), Vector512.Create(-2 * K));
        return Vector512<float>.One / (Vector512<float>.One + CausalAttentionKernel.Exp(minus2U));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Sigmoid2U(Vector<float> v, Vector<float> v2)
    {
        var minus2U = v * Vector.FusedMultiplyAdd(v2, new Vector<float>(-2 * KA), new Vector<float>(-2 * K));
        return Vector<float>.One / (Vector<float>.One + CausalAttentionKernel.Exp(minus2U));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Load512(byte* data, long at, bool bfloat16)
    {
        if (!bfloat16) return Vector512.Load((float*)data + at);
        var (lower, upper) = Vector256.Widen(Vector256.Load((ushort*)data + at));
        return Vector512.ShiftLeft(Vector512.Create(lower, upper), 16).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(byte* data, long at, bool bfloat16, Vector512<float> values)
    {
        if (!bfloat16) values.Store((float*)data + at);
        else CausalAttentionKernel.ToBfloat16(values).Store((ushort*)data + at);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector<float> Lower, Vector<float> Upper) LoadPair(byte* data, long at, bool bfloat16)
    {
        if (!bfloat16) return (Vector.Load((float*)data + at), Vector.Load((float*)data + at + Vector<float>.Count));
        Vector.Widen(Vector.Load((ushort*)data + at), out Vector<uint> lower, out Vector<uint> upper);
        return (Vector.AsVectorSingle(Vector.ShiftLeft(lower, 16)), Vector.AsVectorSingle(Vector.ShiftLeft(upper, 16)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePair(byte* data, long at, bool bfloat16, Vector<float> lower, Vector<float> upper)
    {
        if (!bfloat16)
        {
            lower.Store((float*)data + at);
            upper.Store((float*)data + at + Vector<float>.Count);
            return;
        }
        Vector.Narrow(CausalAttentionKernel.ToBfloat16(lower), CausalAttentionKernel.ToBfloat16(upper)).Store((ushort*)data + at);
    }

    private static float Get(byte* data, long at, bool bfloat16) =>
        bfloat16 ? BitConverter.Int32BitsToSingle(((ushort*)data)[at] << 16) : ((float*)data)[at];

    private static void Set(byte* data, long at, bool bfloat16, float value)
    {
        if (bfloat16) ((ushort*)data)[at] = CausalAttentionKernel.ToBfloat16(value);
        else ((float*)data)[at] = value;
    }

    /// <summary>The autograd node: the input is released by backward (<see cref="ReleasingFunction{TSelf, TSaved}"/>).</summary>
    private sealed class Function : ReleasingFunction<Function, Saved>
    {
        public override string Name => nameof(FusedGelu);

        protected override (Tensor Output, Saved Saved) Forward(object[] vars)
        {
            var (x, inPlace) = ((Tensor)vars[0], (bool)vars[1]);
            return (FusedGelu.Forward(x, get_num_threads()), new Saved(x.detach().DetachFromDisposeScope(), inPlace));
        }

        protected override Tensor Backward(Saved saved, Tensor gradOutput) =>
            FusedGelu.Backward(saved.Input, gradOutput, get_num_threads(), saved.InPlace);
    }

    private sealed record Saved(Tensor Input, bool InPlace) : SavedForBackward
    {
        protected override void Release() => Input.Dispose();
    }
}
