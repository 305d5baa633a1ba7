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

    public void ZeroGrad()
    {
        foreach (var slot in slots) slot.Parameter.grad?.zero_();
    }

    public void Step(double learningRate)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        StepCount++;
        var biasCorrection1 = 1 - Math.Pow(beta1, StepCount);
        var biasCorrection2 = 1 - Math.Pow(beta2, StepCount);
        foreach (var slot in slots)
        {
            var grad = slot.Parameter.grad;
            if (grad is null) continue;
            if (slot.Decays && weightDecay != 0) slot.Parameter.mul_(1 - learningRate * weightDecay);
            slot.ExpAvg.mul_(beta1).add_(grad, alpha: 1 - beta1);
            slot.ExpAvgSq.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
            var denominator = (slot.ExpAvgSq.sqrt() / Math.Sqrt(biasCorrection2)).add_(epsilon);
            slot.Parameter.addcdiv_(slot.ExpAvg, denominator, value: -learningRate / biasCorrection1);
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
