using TorchSharp;
using static TorchSharp.torch;

namespace Planner.Engine.Model;

/// <summary>
/// Causal self-attention straight from c_attn's (B, T, 3C) output to c_proj's (B, T, C) input through
/// <see cref="CausalAttentionKernel"/>, with its own backward pass under autograd. Where it does not apply (another type
/// or device, a head width the kernel lacks, a CPU with neither 512-bit vectors nor AVX2 and FMA) the caller keeps libtorch's
/// <c>scaled_dot_product_attention</c>.
/// </summary>
/// <remarks>
/// TorchSharp's custom autograd functions keep what they save until the graph is released and wrap the tensors they
/// hand to <c>backward</c> in new handles (FACTS: such handles held an output-sized buffer each until the garbage
/// collector ran). Here every handle made in <c>backward</c> is disposed there or belongs to the caller's dispose scope
/// (the trainers call <c>backward</c> inside one), and what the forward pass keeps for backward is released by backward
/// (<see cref="ReleasingFunction{TSelf, TSaved}"/>). Callers run backward inside a dispose scope, as the trainers do, and once per graph
/// (no <c>retain_graph</c>).
/// </remarks>
internal static class FusedCausalAttention
{
    /// <summary>False: libtorch's attention everywhere (the Engine bench's side-by-side, and tests comparing the two).</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>True: applies on a CPU without vectors for the kernel too, where .NET runs them in software
    /// (slowly, with the same arithmetic) — for tests of the wiring on every machine.</summary>
    internal static bool EvenWithoutHardware { get; set; }

    /// <summary>Whether <see cref="Apply"/> computes attention for this c_attn output: float32 rows, or bfloat16 rows
    /// (mixed precision; read and written in bfloat16, the arithmetic in float32). A pass that records no gradients
    /// (evaluation, inference) takes it only for float32 rows with 512-bit vectors: with the platform's narrower vectors
    /// (AVX2), and for bfloat16 rows, the kernel's forward pass alone measured no faster than libtorch's, its gain being
    /// in backward (docs/benchmarks.md).</summary>
    public static bool Applies(Tensor qkv, int heads) =>
        Enabled && (is_grad_enabled() && qkv.requires_grad || CausalAttentionKernel.Wide && qkv.dtype == ScalarType.Float32)
        && qkv.device_type == DeviceType.CPU && qkv.dtype is ScalarType.Float32 or ScalarType.BFloat16 && qkv.dim() == 3
        && qkv.shape[2] % (3L * heads) == 0 && CausalAttentionKernel.Supports(qkv.shape[2] / (3L * heads), EvenWithoutHardware)
        && qkv.shape[0] > 0 && qkv.shape[1] >= ShortestSequence(qkv.shape[2] / (3L * heads))
        && qkv.shape[0] * qkv.shape[1] * qkv.shape[2] <= int.MaxValue / sizeof(float);            // read through Tensor.bytes

    /// <summary>The fewest positions the kernel is used for: on shorter sequences (a tile or two, mostly padding and
    /// set-up) libtorch's attention measured as fast or faster (docs/benchmarks.md, "Causal attention in one fused
    /// kernel").</summary>
    internal static long ShortestSequence(long headSize) => headSize == 64 ? 2 * CausalAttentionKernel.TileSize : 3 * CausalAttentionKernel.TileSize;

    /// <summary>Attention (B, T, C) of each position over itself and the positions before it; recorded for backward when
    /// gradients are on and <paramref name="qkv"/> requires them. Callers check <see cref="Applies"/> first.</summary>
    public static Tensor Apply(Tensor qkv, int heads)
    {
        if (is_grad_enabled() && qkv.requires_grad) return Function.apply(qkv, heads);
        var (output, logSumExp) = Forward(qkv, heads);
        logSumExp.Dispose();
        return output;
    }

    /// <summary>The output (B, T, C) and each query row's log-sum-exp (B, H, T), on <paramref name="threads"/> threads
    /// (default: libtorch's count).</summary>
    internal static unsafe (Tensor Output, Tensor LogSumExp) Forward(Tensor qkv, int heads, int threads = 0)
    {
        var input = qkv.contiguous();
        var (b, t, c) = ((int)input.shape[0], (int)input.shape[1], (int)(input.shape[2] / 3));
        var output = empty([b, t, c], input.dtype);
        var logSumExp = empty([b, heads, t], ScalarType.Float32);
        fixed (byte* x = input.bytes)
        fixed (byte* y = output.bytes)
        fixed (byte* l = logSumExp.bytes)
            CausalAttentionKernel.Forward(x, y, (float*)l, b, t, heads, c / heads, Threads(threads), input.dtype == ScalarType.BFloat16);
        if (!ReferenceEquals(input, qkv)) input.Dispose();
        return (output, logSumExp);
    }

    /// <summary>The gradient of qkv (B, T, 3C) from the output's, on <paramref name="threads"/> threads (default:
    /// libtorch's count).</summary>
    internal static unsafe Tensor Backward(Tensor qkv, Tensor output, Tensor logSumExp, Tensor gradOutput, int heads, int threads = 0)
    {
        var input = qkv.contiguous();
        var grad = gradOutput.dtype == input.dtype ? gradOutput.contiguous() : gradOutput.to(input.dtype).contiguous();
        var (b, t, c) = ((int)input.shape[0], (int)input.shape[1], (int)(input.shape[2] / 3));
        var gradQkv = empty([b, t, 3 * c], input.dtype);
        fixed (byte* x = input.bytes)
        fixed (byte* y = output.bytes)
        fixed (byte* l = logSumExp.bytes)
        fixed (byte* dy = grad.bytes)
        fixed (byte* dx = gradQkv.bytes)
            CausalAttentionKernel.Backward(x, y, (float*)l, dy, dx, b, t, heads, c / heads, Threads(threads), input.dtype == ScalarType.BFloat16);
        if (!ReferenceEquals(input, qkv)) input.Dispose();
        if (!ReferenceEquals(grad, gradOutput)) grad.Dispose();
        return gradQkv;
    }

    private static int Threads(int asked) => asked > 0 ? asked : get_num_threads();

    /// <summary>The autograd node: the input, output and log-sum-exp are released by backward
    /// (<see cref="ReleasingFunction{TSelf, TSaved}"/>).</summary>
    private sealed class Function : ReleasingFunction<Function, Saved>
    {
        public override string Name => nameof(FusedCausalAttention);

        protected override (Tensor Output, Saved Saved) Forward(object[] vars)
        {
            var (qkv, heads) = ((Tensor)vars[0], (int)vars[1]);
            var (output, logSumExp) = FusedCausalAttention.Forward(qkv, heads);
            return (output, new Saved(qkv.detach().DetachFromDisposeScope(), output.detach().DetachFromDisposeScope(),
                logSumExp.DetachFromDisposeScope(), heads));
        }

        protected override Tensor Backward(Saved saved, Tensor gradOutput) =>
            FusedCausalAttention.Backward(saved.Qkv, saved.Output, saved.LogSumExp, gradOutput, saved.Heads);
    }

    private sealed record Saved(Tensor Qkv, Tensor Output, Tensor LogSumExp, int Heads) : SavedForBackward
    {
        protected override void Release()
        {
            Qkv.Dispose();
            Output.Dispose();
            LogSumExp.Dispose();
        }
    }
}
