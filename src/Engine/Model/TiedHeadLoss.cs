using TorchSharp;
using static TorchSharp.torch;

namespace Planner.Engine.Model;

/// <summary>The language-model loss through the tied head (logits = hidden · wteᵀ) with the head's gradients written
/// by hand, a slice of positions at a time. Autograd's cross-entropy over <see cref="Gpt.forward(Tensor)"/> holds three
/// tensors of full logits (the logits, its log-softmax, their gradient: with GPT-2's 50,257-token vocabulary 206 MB each
/// per 1,024 positions, so 4.8 GB at a batch of 8) and allocates them afresh every step. Here one buffer of at most a
/// slice's logits (256 MB by default: a whole 1,024-token sequence) is kept between steps and turned into its own
/// gradient in place; the head's weight gradient is added into the tied parameter's gradient by matrix multiply-add.
/// Slices are large on purpose: each adds a pass over the whole weight gradient, and small ones make thin, slower
/// multiplies. Same loss and gradients as autograd (tested). Written here because neither TorchSharp nor libtorch
/// offers a fused linear + cross-entropy.</summary>
public sealed class TiedHeadLoss : IDisposable
{
    /// <summary>Logits per slice by default: 64 Mi values (256 MB in float32).</summary>
    public const long DefaultSliceElements = 64L << 20;

    private readonly long sliceElements;
    private Tensor? buffer;

    /// <summary>Logits buffers made so far (one, unless the shape, type or device changes).</summary>
    internal int Allocations { get; private set; }

    /// <summary>On a CPU, the most bytes of the largest activation (the MLP's, T × 4C values per sequence) one piece
    /// of a batch may make by default: under the 64 MB that a heap of a glibc thread arena holds. A training thread's
    /// larger blocks are mapped afresh and faulted in page by page every step (see NativeHeap; docs/benchmarks.md has
    /// the gpt2 shape at a batch of 8 in one piece and in pieces, side by side).</summary>
    public const long DefaultCpuPieceBytes = 56L << 20;

    private readonly long cpuPieceBytes;

    /// <param name="sliceElements">Most logits computed at once (rounded down to whole positions, at least one).</param>
    /// <param name="cpuPieceBytes">On a CPU, a batch goes through the model in pieces of as many sequences as keep
    /// the MLP's activation under this many bytes (at least one sequence); the gradients add up to the batch's.</param>
    public TiedHeadLoss(long sliceElements = DefaultSliceElements, long cpuPieceBytes = DefaultCpuPieceBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sliceElements, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cpuPieceBytes, 1);
        this.sliceElements = sliceElements;
        this.cpuPieceBytes = cpuPieceBytes;
    }

    /// <summary>Mean next-token cross-entropy of <paramref name="targets"/> (B, T) after <paramref name="idx"/> (B, T),
    /// and — unless gradients are disabled (then see <see cref="Measure"/>) — backpropagates <paramref name="scale"/> × that mean into the model's
    /// parameter gradients, adding to what they hold (as <c>loss.backward()</c> does).</summary>
    public double ForwardBackward(Gpt model, Tensor idx, Tensor targets, double scale = 1.0)
    {
        var sequences = idx.shape[0];
        var perSequence = idx.shape[1] * 4L * model.Config.Embedding * model.TiedHeadWeight.element_size(); // (T, 4C)
        var piece = model.TiedHeadWeight.device_type == TorchSharp.DeviceType.CPU ? Math.Clamp(cpuPieceBytes / perSequence, 1, sequences) : sequences;
        using var scope = NewDisposeScope();
        double loss = 0;
        for (long start = 0; start < sequences; start += piece)
        {
            var n = Math.Min(piece, sequences - start);
            var share = (double)n / sequences;                                        // every sequence has T positions
            loss += share * ForwardBackwardPiece(model, idx.narrow(0, start, n), targets.narrow(0, start, n), scale * share);
        }
        return loss;
    }

    private double ForwardBackwardPiece(Gpt model, Tensor idx, Tensor targets, double scale)
    {
        using var scope = NewDisposeScope();
        var hidden = model.HiddenStates(idx);                                        // (B, T, C)
        var learning = is_grad_enabled() && hidden.requires_grad;
        var weight = model.TiedHeadWeight;                                           // (V, C)
        var (rows, width, vocab) = (hidden.shape[0] * hidden.shape[1], hidden.shape[2], weight.shape[0]);
        var slice = Math.Clamp(sliceElements / vocab, 1, rows);
        // TorchSharp's Device has no value equality (each read is a new object): compare its type and index.
        if (buffer is null || buffer.shape[0] < slice || buffer.shape[1] != vocab || buffer.dtype != hidden.dtype ||
            buffer.device_type != hidden.device_type || buffer.device_index != hidden.device_index)
        {
            buffer?.Dispose();
            buffer = empty([slice, vocab], dtype: hidden.dtype, device: hidden.device).DetachFromDisposeScope();
            Allocations++;
        }
        var gradHidden = learning ? empty_like(hidden) : null;
        if (learning && weight.grad is null)
        {
            using var zeros = zeros_like(weight);
            weight.grad = zeros; // the parameter holds its own reference
        }
        double lossSum = 0;
        using (no_grad())
        {
            var h = hidden.detach().reshape(-1, width);
            var y = targets.reshape(-1, 1).to(hidden.device);
            var perPosition = scale / rows;                                          // d(scale · mean loss)/d(logit)
            using Scalar perPositionScalar = perPosition, minusPerPosition = -perPosition; // kept alive (KeptScalars)
            for (long start = 0; start < rows; start += slice)
            {
                using var step = NewDisposeScope();
                var n = Math.Min(slice, rows - start);
                var (hs, ys, logits) = (h.narrow(0, start, n), y.narrow(0, start, n), buffer.narrow(0, 0, n));
                logits.addmm_(hs, weight.t(), beta: 0, alpha: 1);                     // (n, V)
                // Log-sum-exp in the buffer itself (torch's logsumexp makes a logits-sized temporary: 206 MB per 1,024
                // positions, mapped and faulted in afresh every step on a training thread).
                var target = logits.gather(1, ys);                                    // (n, 1), before the buffer changes
                var max = logits.amax([1], keepdim: true);                            // (n, 1)
                var sum = logits.sub_(max).exp_().sum(1, keepdim: true);              // the buffer: exp(logit − max)
                lossSum += sum.log().add(max, KeptScalars.One).sub(target).sum().item<float>();
                if (!learning) continue;
                // d loss / d logits = softmax − one-hot, times the scale: softmax = exp(logit − max) / sum.
                logits.mul_(sum.reciprocal().mul_(perPositionScalar));
                logits.scatter_add_(1, ys, full([n, 1], minusPerPosition, dtype: logits.dtype, device: logits.device));
                gradHidden!.view(-1, width).narrow(0, start, n).addmm_(logits, weight, beta: 0, alpha: 1);
                weight.grad!.addmm_(logits.t(), hs, beta: 1, alpha: 1);
            }
        }
        if (learning) hidden.backward([gradHidden!]);
        return lossSum / rows;
    }

    /// <summary>The mean loss alone, no gradients (evaluation).</summary>
    public double Measure(Gpt model, Tensor idx, Tensor targets)
    {
        using var _ = no_grad();
        return ForwardBackward(model, idx, targets);
    }

    public void Dispose() => buffer?.Dispose();
}
