using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Planner.Engine.Model;
using Planner.Engine.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Planner.Engine.Training;

/// <summary>AdamW (Loshchilov &amp; Hutter) with decoupled weight decay applied only to matrices and embeddings — biases
/// and LayerNorm parameters (all 1-D) are not decayed, as in nanoGPT. Written out rather than taken from
/// torch.optim so its whole state (moments and step count, keyed by parameter name) can be checkpointed in
/// safetensors and restored bit for bit.</summary>
public sealed class AdamWOptimizer : IDisposable
{
    private sealed record Slot(string Name, Parameter Parameter, bool Decays, Tensor ExpAvg, Tensor ExpAvgSq);

    private const long DenominatorChunk = 8L << 20; // elements: 32 MB of float32

    private readonly List<Slot> slots;
    private readonly double beta1, beta2, epsilon, weightDecay;

    /// <summary>Optimizer steps taken (Adam's t, used for bias correction).</summary>
    public long StepCount { get; private set; }

    public AdamWOptimizer(IEnumerable<(string Name, Parameter Parameter)> parameters, double beta1 = 0.9, double beta2 = 0.95, double epsilon = 1e-8, double weightDecay = 0.1)
    {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        slots = [.. parameters.Where(p => p.Parameter.requires_grad).Select(p => new Slot(p.Name, p.Parameter, p.Parameter.dim() >= 2,
            zeros_like(p.Parameter).DetachFromDisposeScope(), zeros_like(p.Parameter).DetachFromDisposeScope()))];
    }

    public IEnumerable<Parameter> Parameters => slots.Select(s => s.Parameter);

    public bool Decays(string name) => slots.Single(s => s.Name == name).Decays;

    /// <summary>Zeroes every gradient, first making it where there is none yet: dense, so that a sparse gradient (the
    /// token embedding's lookup, see <see cref="Model.Gpt"/>) is added into it in place. As with torch's
    /// zero_grad(set_to_none: false), a parameter that then gets no gradient is still stepped (with zero); every
    /// parameter of the Engine's models gets one each step.</summary>
    public void ZeroGrad()
    {
        foreach (var slot in slots)
        {
            if (slot.Parameter.grad is { } grad) grad.zero_();
            else
            {
                using var zeros = zeros_like(slot.Parameter);
                slot.Parameter.grad = zeros; // the parameter holds its own reference
            }
        }
    }

    /// <summary>A parameter's gradient, dense (null where it has none).</summary>
    private static Tensor? Gradient(Slot slot) =>
        slot.Parameter.grad is { is_sparse: true }
            ? throw new InvalidOperationException($"'{slot.Name}' has a sparse gradient: call ZeroGrad before backward, so it is added into a dense one.")
            : slot.Parameter.grad;

    /// <summary>The global norm of every gradient (the square root of the sum of their squares), without changing them.
    /// With <see cref="ClipScale"/> and <see cref="Step(double, double)"/> clipping costs no pass over the gradients of
    /// its own: torch's <c>clip_grad_norm_</c> measures and then multiplies every gradient (docs/benchmarks.md).</summary>
    public double GradientNorm()
    {
        var gradients = slots.Select(Gradient).OfType<Tensor>().ToList();
        if (gradients.Count == 0) return 0;
        if (Fused && Vector256.IsHardwareAccelerated && gradients.All(Summable))
            return Math.Sqrt(SumOfSquares(gradients, FusedParts ?? Math.Max(1, get_num_threads())));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return stack(gradients.Select(g => g.norm().to(ScalarType.Float64)).ToList()).norm().item<double>();
    }

    /// <summary>Values a part of <see cref="SumOfSquares"/> takes at a time: 128 KB of float32.</summary>
    private const int SquaresChunk = 32_768;

    /// <summary>Whether <see cref="SumOfSquares"/> reads this gradient: float32, contiguous, on the CPU.</summary>
    private static bool Summable(Tensor grad) =>
        grad.device_type == DeviceType.CPU && grad.dtype == ScalarType.Float32 && grad.is_contiguous() && grad.numel() * sizeof(float) <= int.MaxValue;

    /// <summary>
    /// The sum of the squares of every value of <paramref name="gradients"/>, in one pass shared by
    /// <paramref name="threads"/> parts: libtorch's <c>norm</c> runs on the calling thread alone, one gradient after
    /// another, at one core's share of the memory's speed (docs/benchmarks.md). Each chunk is added up in double and the
    /// chunks' sums in their order, so the result does not depend on the thread count. NaN or infinity anywhere gives
    /// NaN or infinity.
    /// </summary>
    private static unsafe double SumOfSquares(List<Tensor> gradients, int threads)
    {
        var chunks = new List<(IntPtr Values, int Count)>();
        foreach (var gradient in gradients)
        {
            var (values, count) = ((IntPtr)Pointer(gradient), gradient.numel());
            for (long start = 0; start < count; start += SquaresChunk)
                chunks.Add((values + (nint)(start * sizeof(float)), (int)Math.Min(SquaresChunk, count - start)));
        }
        var sums = new double[chunks.Count];
        RowWorkers.ForEach(chunks.Count, threads, chunk => sums[chunk] = ChunkSumOfSquares((float*)chunks[(int)chunk].Values, chunks[(int)chunk].Count));
        var total = 0.0;
        foreach (var sum in sums) total += sum;
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe double ChunkSumOfSquares(float* values, int count)
    {
        // Four sums, so that the additions' latency does not bound a pass that memory should.
        var (a, b, c, d) = (Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero, Vector256<double>.Zero);
        var i = 0;
        for (; i <= count - 16; i += 16)
        {
            var (lower, upper) = Vector256.Widen(Vector256.Load(values + i));
            a = Vector256.FusedMultiplyAdd(lower, lower, a);
            b = Vector256.FusedMultiplyAdd(upper, upper, b);
            (lower, upper) = Vector256.Widen(Vector256.Load(values + i + 8));
            c = Vector256.FusedMultiplyAdd(lower, lower, c);
            d = Vector256.FusedMultiplyAdd(upper, upper, d);
        }
        var sum = Vector256.Sum(a + b + (c + d));
        for (; i < count; i++) sum += (double)values[i] * values[i];
        return sum;
    }

    /// <summary>The factor torch's <c>clip_grad_norm_</c> scales the gradients by for a global norm: max / (norm + 10⁻⁶)
    /// where that is below 1, otherwise 1; 1 with a <paramref name="maxNorm"/> of 0 (no clipping).</summary>
    public static double ClipScale(double norm, double maxNorm)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxNorm);
        return maxNorm == 0 ? 1 : Math.Min(1, maxNorm / (norm + 1e-6));
    }

    /// <summary>The global norm of every gradient; with a positive <paramref name="maxNorm"/> the gradients are then
    /// scaled down to it in place where larger (by <see cref="ClipScale"/>, as torch's clip_grad_norm_), with 0 they are
    /// only measured. The trainer hands the scale to <see cref="Step(double, double)"/> instead.</summary>
    public double ClipGradients(double maxNorm)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxNorm);
        var norm = GradientNorm();
        var scale = ClipScale(norm, maxNorm);
        if (scale < 1)
        {
            using var _ = no_grad();
            using Scalar factor = scale; // kept alive while libtorch reads it (KeptScalars)
            foreach (var grad in slots.Select(Gradient).OfType<Tensor>()) grad.mul_(factor);
        }
        return norm;
    }

    /// <summary>False: every parameter steps through libtorch's element-wise operations, as before the fused pass (the
    /// Engine bench's side-by-side).</summary>
    internal static bool FusedEnabled { get; set; } = true;

    /// <summary>Whether this optimizer takes the fused pass where it can (<see cref="FusedEnabled"/> when it was made).</summary>
    internal bool Fused { get; set; } = FusedEnabled;

    /// <summary>Elements below which a parameter's fused pass stays on the calling thread (a bias or a layer norm).</summary>
    internal const long SplitFromElements = 1L << 18;

    /// <summary>The parts a large parameter's fused pass is split into; null: libtorch's thread count at each step. Set
    /// by the tests, which check that any split steps exactly as one part.</summary>
    internal int? FusedParts { get; set; }

    public void Step(double learningRate) => Step(learningRate, 1);

    /// <summary>One AdamW step with every gradient taken times <paramref name="gradientScale"/> (clipping's factor,
    /// <see cref="ClipScale"/>): in the fused pass as it reads each gradient, otherwise through a scaled copy; the
    /// gradients themselves are left as they are.</summary>
    public void Step(double learningRate, double gradientScale)
    {
        if (!(gradientScale > 0) || double.IsInfinity(gradientScale))
            throw new ArgumentOutOfRangeException(nameof(gradientScale), gradientScale, "The gradients' scale must be positive and finite.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        StepCount++;
        var biasCorrection1 = 1 - Math.Pow(beta1, StepCount);
        var root2 = Math.Sqrt(1 - Math.Pow(beta2, StepCount));
        // p −= lr/bc1 · m / (√v/√bc2 + ε), written as lr·√bc2/bc1 · m / (√v + ε·√bc2): the same update with two passes
        // over the moments fewer (the step is memory-bound: 124M parameters read and written several times over).
        var stepSize = learningRate * root2 / biasCorrection1;
        // The step's scalars, made once and kept alive until it ends (see KeptScalars: an implicit one may be freed
        // by the finalizer while libtorch reads it).
        using Tensor averageWeight = 1 - beta1; // lerp_ takes its weight as a tensor: the same conversion as before, kept
        using Scalar decay = 1 - learningRate * weightDecay, squareDecay = beta2,
            squareWeight = 1 - beta2, epsilonTerm = epsilon * root2, minusStepSize = -stepSize;
        var fused = new FusedCoefficients((float)(1 - learningRate * weightDecay), (float)(1 - beta1), (float)beta2, (float)(1 - beta2),
            (float)(epsilon * root2), (float)-stepSize, (float)gradientScale);
        var threads = FusedParts ?? Math.Max(1, get_num_threads());
        foreach (var slot in slots)
        {
            if (Gradient(slot) is not { } grad) continue;
            if (Fused && Fusable(slot, grad))
            {
                StepFused(slot, grad, slot.Decays && weightDecay != 0 ? fused : fused with { Decay = 1 }, threads);
                continue;
            }
            if (gradientScale != 1) grad = grad.mul(gradientScale);                   // a copy, in the step's dispose scope
            if (slot.Decays && weightDecay != 0) slot.Parameter.mul_(decay);
            slot.ExpAvg.lerp_(grad, averageWeight);                                       // β1·m + (1−β1)·g, as torch's AdamW
            slot.ExpAvgSq.mul_(squareDecay).addcmul_(grad, grad, value: squareWeight);
            // The denominator a chunk at a time: a temporary over 64 MB (the token embedding's would be 154 MB) is
            // mapped afresh by glibc on a training thread and faulted in page by page every step (see NativeHeap).
            var (values, averages, squares) = (slot.Parameter.view(-1), slot.ExpAvg.view(-1), slot.ExpAvgSq.view(-1));
            for (long start = 0; start < values.shape[0]; start += DenominatorChunk)
            {
                var n = Math.Min(DenominatorChunk, values.shape[0] - start);
                using var denominator = squares.narrow(0, start, n).sqrt().add_(epsilonTerm, KeptScalars.One); // add_(Scalar) alone makes an alpha of its own
                values.narrow(0, start, n).addcdiv_(averages.narrow(0, start, n), denominator, value: minusStepSize);
            }
        }
    }

    /// <summary>The update's scalars in float32, as libtorch's float32 kernels take them. <see cref="Decay"/> is 1 for a
    /// parameter that is not decayed (a product by 1 changes no float).</summary>
    private readonly record struct FusedCoefficients(float Decay, float AverageWeight, float SquareDecay, float SquareWeight, float Epsilon, float MinusStepSize,
        float GradientScale);

    /// <summary>Whether a parameter can take the fused pass: float32 on the CPU, every tensor contiguous and readable as
    /// one span, and 256-bit vectors in hardware; anything else steps through libtorch.</summary>
    private static bool Fusable(Slot slot, Tensor grad) =>
        Vector256.IsHardwareAccelerated && grad.device_type == DeviceType.CPU && slot.Parameter.device_type == DeviceType.CPU
        && slot.ExpAvg.device_type == DeviceType.CPU && slot.ExpAvgSq.device_type == DeviceType.CPU
        && grad.dtype == ScalarType.Float32 && slot.Parameter.dtype == ScalarType.Float32
        && slot.ExpAvg.dtype == ScalarType.Float32 && slot.ExpAvgSq.dtype == ScalarType.Float32
        && grad.is_contiguous() && slot.Parameter.is_contiguous() && slot.ExpAvg.is_contiguous() && slot.ExpAvgSq.is_contiguous()
        && grad.shape.SequenceEqual(slot.Parameter.shape) && slot.Parameter.numel() * sizeof(float) <= int.MaxValue;

    /// <summary>
    /// The same update as the libtorch operations of <see cref="Step(double, double)"/> — decay, the moments' lerp and multiply-add, the
    /// denominator and the step — in one pass over the parameter, its gradient and its two moments. libtorch's operations
    /// pass over 124M values some eight times a step (each its own read and write of memory); the fused pass reads the
    /// four once and writes three, and splits a large parameter among libtorch's thread count. 256-bit vectors: the pass
    /// is bound by memory, where 512-bit ones gain nothing (as in the decoding step's products).
    /// </summary>
    private static unsafe void StepFused(Slot slot, Tensor grad, FusedCoefficients c, int threads)
    {
        var n = slot.Parameter.numel();
        var p = Pointer(slot.Parameter);
        var g = Pointer(grad);
        var m = Pointer(slot.ExpAvg);
        var v = Pointer(slot.ExpAvgSq);
        var parts = n < SplitFromElements ? 1 : threads;
        if (parts == 1)
        {
            Update(p, g, m, v, 0, n, c);
            return;
        }
        // Part boundaries on 64-byte lines, so that no two threads write the same cache line.
        var per = (n / parts + 15) & ~15L;
        RowWorkers.Run(parts, part =>
        {
            var start = Math.Min(n, part * per);
            var end = part == parts - 1 ? n : Math.Min(n, start + per);
            Update(p, g, m, v, start, end, c);
        });
    }

    private static unsafe float* Pointer(Tensor tensor) => (float*)TensorMemory.Start(tensor);

    private static unsafe void Update(float* p, float* g, float* m, float* v, long start, long end, FusedCoefficients c)
    {
        var i = start;
        var (decay, w, b2, w2, eps, step) = (Vector256.Create(c.Decay), Vector256.Create(c.AverageWeight), Vector256.Create(c.SquareDecay),
            Vector256.Create(c.SquareWeight), Vector256.Create(c.Epsilon), Vector256.Create(c.MinusStepSize));
        var scale = Vector256.Create(c.GradientScale);
        for (; i <= end - 8; i += 8)
        {
            var gi = Vector256.Load(g + i) * scale;                                  // × 1 changes no float
            var mi = Vector256.Load(m + i);
            mi += w * (gi - mi);
            var vi = Vector256.Load(v + i) * b2 + w2 * gi * gi;
            var pi = Vector256.Load(p + i) * decay;
            pi += step * (mi / (Vector256.Sqrt(vi) + eps));
            mi.Store(m + i);
            vi.Store(v + i);
            pi.Store(p + i);
        }
        for (; i < end; i++)
        {
            var gi = g[i] * c.GradientScale;
            var mi = m[i] + c.AverageWeight * (gi - m[i]);
            var vi = v[i] * c.SquareDecay + c.SquareWeight * gi * gi;
            p[i] = p[i] * c.Decay + c.MinusStepSize * (mi / (MathF.Sqrt(vi) + c.Epsilon));
            m[i] = mi;
            v[i] = vi;
        }
    }

    /// <summary>Moments as <c>exp_avg.NAME</c> / <c>exp_avg_sq.NAME</c> and the step count as <c>step</c>.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor> { ["step"] = tensor(new[] { StepCount }) };
        foreach (var slot in slots)
        {
            state[$"exp_avg.{slot.Name}"] = slot.ExpAvg;
            state[$"exp_avg_sq.{slot.Name}"] = slot.ExpAvgSq;
        }
        return state;
    }

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        using var _ = no_grad();
        foreach (var slot in slots)
        {
            if (!state.TryGetValue($"exp_avg.{slot.Name}", out var m) || !state.TryGetValue($"exp_avg_sq.{slot.Name}", out var v))
                throw new ArgumentException($"Optimizer state has no moments for '{slot.Name}'.");
            if (!m.shape.SequenceEqual(slot.ExpAvg.shape) || !v.shape.SequenceEqual(slot.ExpAvgSq.shape))
                throw new ArgumentException($"Optimizer state for '{slot.Name}' has shape [{string.Join(",", m.shape)}], expected [{string.Join(",", slot.ExpAvg.shape)}].");
            slot.ExpAvg.copy_(m);
            slot.ExpAvgSq.copy_(v);
        }
        StepCount = state.TryGetValue("step", out var step) ? step.item<long>() : throw new ArgumentException("Optimizer state has no step count.");
    }

    public void Dispose()
    {
        foreach (var slot in slots)
        {
            slot.ExpAvg.Dispose();
            slot.ExpAvgSq.Dispose();
        }
    }
}
