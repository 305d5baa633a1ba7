using Planner.Engine.Model;
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

    /// <summary>The global norm of every gradient; with a positive <paramref name="maxNorm"/> the gradients are then
    /// scaled down to it where larger (torch's clip_grad_norm_), with 0 they are only measured.</summary>
    public double ClipGradients(double maxNorm)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxNorm);
        if (maxNorm > 0) return nn.utils.clip_grad_norm_(Parameters, maxNorm);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var norms = slots.Where(s => s.Parameter.grad is not null).Select(s => s.Parameter.grad!.norm().to(ScalarType.Float64)).ToList();
        return norms.Count == 0 ? 0 : stack(norms).norm().item<double>();
    }

    public void Step(double learningRate)
    {
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
        foreach (var slot in slots)
        {
            var grad = slot.Parameter.grad;
            if (grad is null) continue;
            if (grad.is_sparse)
                throw new InvalidOperationException($"'{slot.Name}' has a sparse gradient: call ZeroGrad before backward, so it is added into a dense one.");
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
