using Planner.Engine.Native;
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

    // Mixed precision (Gpt.MatmulType set): the head's products in that type, kept between steps like the buffer — the
    // logits' gradient in that type (and, through libtorch's products, the logits as multiplied before they are copied
    // into the float32 buffer), the weight cast once a piece, and (through libtorch's products) the weight's gradient
    // of one slice, transposed, before it is added into the float32 one.
    private Tensor? lowLogits, lowWeight, lowWeightGrad;

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
        var slices = (rows + slice - 1) / slice;
        slice = (rows + slices - 1) / slices; // as many slices, of equal size: no thin last one (each slice passes over the whole weight gradient)
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
            var low = model.MatmulType is { } type ? LowPrecision(type, weight, h, slice, learning) : null;
            var perPosition = scale / rows;                                          // d(scale · mean loss)/d(logit)
            for (long start = 0; start < rows; start += slice)
            {
                using var step = NewDisposeScope();
                var n = Math.Min(slice, rows - start);
                var (hs, ys, logits) = (h.narrow(0, start, n), y.narrow(0, start, n), buffer.narrow(0, 0, n));
                if (low is null) logits.addmm_(hs, weight.t(), beta: 0, alpha: 1);    // (n, V)
                else low.Logits(start, logits);                                       // multiplied in the low type, float32 out
                // The loss and its gradient (scale · (softmax − one-hot)), the gradient over the logits or, in mixed
                // precision, into the low type's buffer for the products after it: row by row where that applies.
                var gradient = !learning ? null : low is null ? logits : low.GradientBuffer(n);
                lossSum += SliceLoss(logits, ys, gradient, perPosition);
                if (!learning) continue;
                var gradHiddenSlice = gradHidden!.view(-1, width).narrow(0, start, n);
                if (low is null)
                {
                    gradHiddenSlice.addmm_(logits, weight, beta: 0, alpha: 1);
                    weight.grad!.addmm_(logits.t(), hs, beta: 1, alpha: 1);
                }
                else low.BackwardFromLow(gradient!, start, gradHiddenSlice, weight.grad!, buffer);
            }
        }
        if (learning) hidden.backward([gradHidden!]);
        return lossSum / rows;
    }

    /// <summary>A slice's summed loss, and with <paramref name="gradient"/> (the logits themselves, or a buffer in the
    /// low type) <paramref name="perPosition"/>·(softmax − one-hot) into it: row by row (<see cref="CrossEntropyRows"/>)
    /// where that applies, else through libtorch's operations.</summary>
    internal static double SliceLoss(Tensor logits, Tensor ys, Tensor? gradient, double perPosition)
    {
        if (CrossEntropyRows.Applies(logits, ys, gradient))
            return CrossEntropyRows.LossAndGradient(logits, ys, (float)perPosition, gradient, get_num_threads());
        using Scalar scale = perPosition, minusScale = -perPosition; // kept alive while libtorch reads them (KeptScalars)
        return LossAndGradient(logits, ys, gradient, scale, minusScale);
    }

    /// <summary>The slice's summed loss through libtorch's operations, and with <paramref name="gradient"/> its gradient:
    /// computed over the logits and copied into <paramref name="gradient"/> where that is another buffer.</summary>
    private static double LossAndGradient(Tensor logits, Tensor ys, Tensor? gradient, Scalar perPosition, Scalar minusPerPosition)
    {
        // Log-sum-exp in the buffer itself (torch's logsumexp makes a logits-sized temporary: 206 MB per 1,024 positions,
        // mapped and faulted in afresh every step on a training thread).
        var target = logits.gather(1, ys);                                    // (n, 1), before the buffer changes
        var max = logits.amax([1], keepdim: true);                            // (n, 1)
        var sum = logits.sub_(max).exp_().sum(1, keepdim: true);              // the buffer: exp(logit − max)
        var loss = sum.log().add(max, KeptScalars.One).sub(target).sum().item<float>();
        if (gradient is null) return loss;
        // d loss / d logits = softmax − one-hot, times the scale: softmax = exp(logit − max) / sum.
        logits.mul_(sum.reciprocal().mul_(perPosition));
        logits.scatter_add_(1, ys, full([logits.shape[0], 1], minusPerPosition, dtype: logits.dtype, device: logits.device));
        if (!ReferenceEquals(gradient, logits)) gradient.copy_(logits);
        return loss;
    }

    /// <summary>The head's products in a lower type for one piece: its hidden states and the weight cast once, the
    /// logits buffer and the weight-gradient buffer kept between steps (made again only when the shape, type or
    /// device changes).</summary>
    private LowHead LowPrecision(ScalarType type, Tensor weight, Tensor h, long slice, bool learning)
    {
        var (vocab, width) = (weight.shape[0], weight.shape[1]);
        // MKL's bfloat16 product writes float32 itself: no weight-gradient buffer, nothing widened afterwards.
        var mkl = type == ScalarType.BFloat16 && weight.device_type == TorchSharp.DeviceType.CPU && weight.dtype == ScalarType.Float32
            && h.dtype == ScalarType.Float32 && (!learning || weight.grad is { dtype: ScalarType.Float32, is_sparse: false } grad && grad.is_contiguous()) && MklBf16Product.Applies;
        Keep(ref lowLogits, [slice, vocab], type, weight, moreRows: true);
        Keep(ref lowWeight, [vocab, width], type, weight);
        if (learning && !mkl) Keep(ref lowWeightGrad, [width, vocab], type, weight); // transposed (see LowHead.Backward)
        else if (mkl && lowWeightGrad is not null)
        {
            lowWeightGrad.Dispose();
            lowWeightGrad = null;
        }
        lowWeight!.copy_(weight);
        return new LowHead(h.to(type), lowWeight, lowLogits!, learning && !mkl ? lowWeightGrad : null, mkl);
    }

    /// <param name="moreRows">A kept buffer with more rows will do (it is used a narrowed slice at a time).</param>
    private static void Keep(ref Tensor? kept, long[] shape, ScalarType type, Tensor like, bool moreRows = false)
    {
        if (kept is not null && (moreRows ? kept.shape[0] >= shape[0] : kept.shape[0] == shape[0]) && kept.shape[1] == shape[1] && kept.dtype == type &&
            kept.device_type == like.device_type && kept.device_index == like.device_index) return;
        kept?.Dispose();
        kept = empty(shape, dtype: type, device: like.device).DetachFromDisposeScope();
    }

    /// <summary>One piece's head in the low type; the loss and its gradient stay float32 in the caller's buffer. With
    /// <paramref name="mkl"/> (bfloat16, <see cref="MklBf16Product"/>) each product writes or adds its float32 result
    /// directly; otherwise libtorch's products make results in the low type, which are then copied into float32.</summary>
    private sealed class LowHead(Tensor hidden, Tensor weight, Tensor logits, Tensor? weightGradT, bool mkl)
    {
        /// <summary>The (n, V) float32 logits of rows start..start+n into <paramref name="output"/>, multiplied in the
        /// low type (float32 accumulation inside).</summary>
        public void Logits(long start, Tensor output)
        {
            var rows = hidden.narrow(0, start, output.shape[0]);
            if (mkl)
            {
                MklBf16Product.Multiply(rows, false, weight, true, output);
                return;
            }
            var slice = logits.narrow(0, 0, output.shape[0]);
            slice.addmm_(rows, weight.t(), beta: 0, alpha: 1);
            output.copy_(slice);
        }

        /// <summary>Where the logits' gradient of <paramref name="rows"/> rows goes in the low type: the kept buffer (free
        /// once the logits are in float32).</summary>
        public Tensor GradientBuffer(long rows) => logits.narrow(0, 0, rows);

        /// <summary>The hidden states' and the weight's gradients of rows start..start+n from the logits' gradient
        /// <paramref name="low"/> in the low type (<see cref="GradientBuffer"/>): the former written into
        /// <paramref name="gradHidden"/>, the latter added into the float32 <paramref name="gradWeight"/>.
        /// <paramref name="scratch"/>: the float32 logits buffer, free by then.</summary>
        public void BackwardFromLow(Tensor low, long start, Tensor gradHidden, Tensor gradWeight, Tensor scratch)
        {
            if (mkl)
            {
                MklBf16Product.Multiply(low, false, weight, false, gradHidden);                                   // (n, C)
                MklBf16Product.Multiply(low, true, hidden.narrow(0, start, low.shape[0]), false, gradWeight, beta: 1); // (V, C) +=
                return;
            }
            using (var gradHiddenLow = low.mm(weight)) gradHidden.copy_(gradHiddenLow);
            // The weight's gradient transposed, (C, n)·(n, V): in bfloat16 the product (V, n)·(n, C) with its left side
            // transposed ran barely faster than in float32, this one as fast as the head's other two (docs/benchmarks.md).
            weightGradT!.addmm_(hidden.narrow(0, start, low.shape[0]).t(), low, beta: 0, alpha: 1);
            // float32 += bfloat16 in one call takes libtorch's mixed-type path, some thirty times slower than a float32
            // add: widen the piece first (transposing it back), into the logits buffer when it is large enough.
            var (vocab, width) = (gradWeight.shape[0], gradWeight.shape[1]);
            if (scratch.numel() >= gradWeight.numel())
                gradWeight.add_(scratch.view(-1).narrow(0, 0, gradWeight.numel()).view(vocab, width).copy_(weightGradT.t()), KeptScalars.One);
            else
            {
                using var wide = weightGradT.t().to(gradWeight.dtype);
                gradWeight.add_(wide, KeptScalars.One);
            }
        }
    }

    /// <summary>The mean loss alone, no gradients (evaluation).</summary>
    public double Measure(Gpt model, Tensor idx, Tensor targets)
    {
        using var _ = no_grad();
        return ForwardBackward(model, idx, targets);
    }

    public void Dispose()
    {
        foreach (var kept in new[] { buffer, lowLogits, lowWeight, lowWeightGrad }) kept?.Dispose();
    }
}
