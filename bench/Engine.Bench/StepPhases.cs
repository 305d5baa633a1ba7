using System.Diagnostics;
using System.Globalization;
using System.Text;
using Planner.Engine.Model;
using Planner.Engine.Native;
using Planner.Engine.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Bench;

/// <summary>Where a training step's time goes, in float32 and in bfloat16 mixed precision side by side: the forward
/// pass through the blocks, their backward pass, the tied head (loss and its gradients), AdamW, each timed on the
/// training thread (shortest of the repeats) against its counted FLOPs at the speed of a square multiply measured in the
/// same process in the same type; then each kind of operation of a block alone at the model's shapes, forward and
/// backward, in both types, so a part that does not speed up in bfloat16 shows.</summary>
public static class StepPhases
{
    public static string Measure(GptConfig config, int batch, int repeats)
    {
        var text = new StringBuilder();
        EngineNative.PrepareTrainingThread();
        using var heap = EngineNative.HoldTrainingHeap();                          // as the trainers hold it
        var tokens = (long)batch * config.ContextLength;
        var fp32Peak = TrainingThroughput.MatmulFlops();
        var bf16Peak = TrainingThroughput.MatmulFlops(2048, 3, ScalarType.BFloat16);
        text.AppendLine(Invariant($"2048×2048 multiply on this thread: float32 {fp32Peak / 1e9:F1} GFLOP/s, bfloat16 {bf16Peak / 1e9:F1} GFLOP/s ({bf16Peak / fp32Peak:F2}×)"));

        // Counted FLOPs per phase (nanoGPT's count, split): the blocks' matrices 2 per parameter per token forward, 4
        // backward; attention 4·L·C·T per token forward (QKᵀ and AV), 8 backward; the head 2·V·C forward, 4 backward.
        var blockParameters = (double)config.Layers * 12 * config.Embedding * config.Embedding;
        var attention = 4.0 * config.Layers * config.Embedding * config.ContextLength;
        var forwardFlops = tokens * (2 * blockParameters + attention);
        var headFlops = tokens * 6.0 * config.VocabSize * config.Embedding;

        using var model = new Gpt(config, seed: 1);
        using var optimizer = new AdamWOptimizer(model.named_parameters());
        using var headLoss = new TiedHeadLoss();
        model.train();
        var generator = new Random(1);
        var ids = Enumerable.Range(0, batch * (config.ContextLength + 1)).Select(_ => (long)generator.Next(config.VocabSize)).ToArray();
        using var data = tensor(ids, [batch, config.ContextLength + 1]);
        using var idx = data[.., ..^1];
        using var targets = data[.., 1..];
        using var upstream = randn(batch, config.ContextLength, config.Embedding);

        // Both precisions with the Engine's fused attention and with libtorch's, side by side, in the order fused,
        // libtorch, libtorch, fused, the shorter of each kept: whichever set-up ran second in the process measured
        // slower (docs/benchmarks.md), so each is measured once early and once late.
        PhaseTimes[] Both(bool fused)
        {
            FusedCausalAttention.Enabled = fused;
            try
            {
                return [.. new[] { (ScalarType?)null, ScalarType.BFloat16 }.Select(type => TimePhases(model, optimizer, headLoss, idx, targets, upstream, type, repeats))];
            }
            finally
            {
                FusedCausalAttention.Enabled = true;
            }
        }
        // bfloat16 with libtorch's products alone (MKL's product into float32 off), measured between the others.
        var mkl = MklBf16Product.Applies;
        PhaseTimes LibtorchProducts()
        {
            MklBf16Product.Enabled = false;
            try
            {
                return TimePhases(model, optimizer, headLoss, idx, targets, upstream, ScalarType.BFloat16, repeats);
            }
            finally
            {
                MklBf16Product.Enabled = true;
            }
        }
        var fusedEarly = Both(true);
        var productsEarly = mkl ? LibtorchProducts() : null;
        var (libtorchEarly, libtorchLate) = (Both(false), Both(false));
        var productsLate = mkl ? LibtorchProducts() : null;
        var fusedLate = Both(true);
        var times = fusedEarly.Zip(fusedLate, PhaseTimes.Shortest).ToArray();
        var libtorchAttention = libtorchEarly.Zip(libtorchLate, PhaseTimes.Shortest).ToArray();
        var libtorchProducts = mkl ? PhaseTimes.Shortest(productsEarly!, productsLate!) : null;
        // The multiplies again after the steps (the first ones on a fresh thread can run slow): the faster of each.
        fp32Peak = Math.Max(fp32Peak, TrainingThroughput.MatmulFlops());
        bf16Peak = Math.Max(bf16Peak, TrainingThroughput.MatmulFlops(2048, 3, ScalarType.BFloat16));
        text.AppendLine(Invariant($"the same multiplies after the steps, the faster of the two kept: float32 {fp32Peak / 1e9:F1} GFLOP/s, bfloat16 {bf16Peak / 1e9:F1} GFLOP/s"));
        (string Name, double Flops, Func<PhaseTimes, double> Seconds)[] phases =
        [
            ("forward through the blocks", forwardFlops, t => t.Forward),
            ("backward through the blocks", 2 * forwardFlops, t => t.Blocks - t.Forward),
            ("head (loss and gradients)", headFlops, t => t.Whole - t.Blocks),
            ("AdamW, fused pass, clipping's scale", 0, t => t.AdamW),
            ("AdamW, libtorch's operations", 0, t => t.AdamWPlain),
            ("gradient clipping (libtorch)", 0, t => t.Clip),
            ("the gradients' norm, one pass", 0, t => t.Norm),
            ("the gradients' norm, libtorch's", 0, t => t.NormPlain),
            ("zeroing the gradients", 0, t => t.Zero),
            ("whole step", 3 * forwardFlops + headFlops, t => t.Zero + t.Whole + t.Norm + t.AdamW),
        ];
        text.AppendLine(Invariant($"{"phase",-28} {"float32",10} {"of peak",8} {"bfloat16",10} {"of peak",8} {"bf16/fp32 speed",16}"));
        foreach (var (name, flops, seconds) in phases)
        {
            var (fp32, bf16) = (seconds(times[0]), seconds(times[1]));
            text.AppendLine(Invariant($"{name,-28} {fp32,8:F3} s {(flops > 0 ? flops / fp32 / fp32Peak : double.NaN),8:P0} {bf16,8:F3} s {(flops > 0 ? flops / bf16 / bf16Peak : double.NaN),8:P0} {fp32 / bf16,15:F2}×"));
        }

        bool fused;
        using (var probe = zeros(1, config.ContextLength, 3 * config.Embedding)) fused = FusedCausalAttention.Applies(probe, config.Heads);
        text.AppendLine(Invariant($"attention above: {(fused ? "the Engine's fused kernel" : "libtorch's (the fused kernel does not apply on this processor or shape)")}; with libtorch's attention instead, same process:"));
        foreach (var (name, flops, seconds) in phases.Where(p => p.Flops > 0))
        {
            var (fp32, fp32Libtorch, bf16, bf16Libtorch) = (seconds(times[0]), seconds(libtorchAttention[0]), seconds(times[1]), seconds(libtorchAttention[1]));
            text.AppendLine(Invariant($"  {name,-28} float32 {fp32Libtorch,6:F3} s (fused kernel {fp32:F3} s, {fp32Libtorch / fp32:F2}× as fast), bfloat16 {bf16Libtorch,6:F3} s (fused kernel {bf16:F3} s, {bf16Libtorch / bf16:F2}×)"));
        }

        text.AppendLine(mkl
            ? "bfloat16 above: the weights' and the head's gradients, the head's logits and the float32 inputs' gradients by MKL's product into float32; with libtorch's products alone instead, same process:"
            : "bfloat16 above: libtorch's products alone (MKL's product into float32 does not apply on this processor or set-up).");
        if (libtorchProducts is not null)
            foreach (var (name, flops, seconds) in phases.Where(p => p.Flops > 0))
            {
                var (bf16, bf16Libtorch) = (seconds(times[1]), seconds(libtorchProducts));
                text.AppendLine(Invariant($"  {name,-28} bfloat16 {bf16Libtorch,6:F3} s (MKL's product {bf16:F3} s, {bf16Libtorch / bf16:F2}× as fast)"));
            }

        // Each operation of a block alone, forward and backward, at the model's shapes (one block; ×layers per step).
        text.AppendLine(Invariant($"one block's operations at {batch}×{config.ContextLength} positions, forward + backward (shortest of {repeats}):"));
        var c = config.Embedding;
        foreach (var (name, prepare) in Operations(batch, config.ContextLength, c, config.Heads, config.VocabSize))
        {
            using var scope = NewDisposeScope();
            var (runFp32, runBf16) = (prepare(null), prepare(ScalarType.BFloat16));
            var fp32 = Enumerable.Range(0, repeats + 1).Select(_ => Time(runFp32)).Skip(1).Min();
            var bf16 = Enumerable.Range(0, repeats + 1).Select(_ => Time(runBf16)).Skip(1).Min();
            text.AppendLine(Invariant($"  {name,-44} float32 {fp32 * 1e3,8:F1} ms, bfloat16 {bf16 * 1e3,8:F1} ms ({fp32 / bf16:F2}×)"));
        }
        return text.ToString();
    }

    /// <summary>Shortest times over the repeats: the forward pass through the blocks, that and its backward pass (from a
    /// given upstream gradient), the whole forward and backward pass with the head's loss, AdamW's step (its fused pass
    /// with clipping's scale, as the trainer takes it, and libtorch's operations), libtorch's gradient clipping, the norm
    /// alone that replaced it (the optimizer's one pass, and libtorch's norms), and zeroing the gradients.</summary>
    private sealed record PhaseTimes(double Forward, double Blocks, double Whole, double AdamW, double AdamWPlain, double Clip, double Norm, double NormPlain, double Zero)
    {
        public static PhaseTimes Shortest(PhaseTimes a, PhaseTimes b) => new(Math.Min(a.Forward, b.Forward), Math.Min(a.Blocks, b.Blocks),
            Math.Min(a.Whole, b.Whole), Math.Min(a.AdamW, b.AdamW), Math.Min(a.AdamWPlain, b.AdamWPlain), Math.Min(a.Clip, b.Clip),
            Math.Min(a.Norm, b.Norm), Math.Min(a.NormPlain, b.NormPlain), Math.Min(a.Zero, b.Zero));
    }

    private static PhaseTimes TimePhases(Gpt model, AdamWOptimizer optimizer, TiedHeadLoss headLoss, Tensor idx, Tensor targets, Tensor upstream, ScalarType? type, int repeats)
    {
        using var precision = MixedPrecision.Use(model, type);
        double forward = double.MaxValue, blocks = double.MaxValue, whole = double.MaxValue, adam = double.MaxValue;
        double adamPlain = double.MaxValue, clip = double.MaxValue, norm = double.MaxValue, normPlain = double.MaxValue, zero = double.MaxValue;
        for (var r = 0; r <= repeats; r++)
        {
            optimizer.ZeroGrad();
            forward = Math.Min(forward, Time(() => { using var s = NewDisposeScope(); _ = model.HiddenStates(idx); }));
            // A graph released without its backward pass leaves the fused attention's saved tensors to the collector
            // (FusedCausalAttention); collected here, outside the timings, so that they do not weigh on the phases after.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            optimizer.ZeroGrad();
            blocks = Math.Min(blocks, Time(() => { using var s = NewDisposeScope(); model.HiddenStates(idx).backward([upstream]); }));
            optimizer.ZeroGrad();
            whole = Math.Min(whole, Time(() => headLoss.ForwardBackward(model, idx, targets)));
            var scale = 1.0;
            norm = Math.Min(norm, Time(() => scale = AdamWOptimizer.ClipScale(optimizer.GradientNorm(), 1.0)));
            optimizer.Fused = false;
            normPlain = Math.Min(normPlain, Time(() => optimizer.GradientNorm()));
            optimizer.Fused = true;
            adam = Math.Min(adam, Time(() => optimizer.Step(1e-5, scale)));
            optimizer.Fused = false;
            adamPlain = Math.Min(adamPlain, Time(() => optimizer.Step(1e-5)));
            optimizer.Fused = true;
            clip = Math.Min(clip, Time(() => TorchSharp.torch.nn.utils.clip_grad_norm_(optimizer.Parameters, 1.0)));
            zero = Math.Min(zero, Time(optimizer.ZeroGrad));
        }
        return new PhaseTimes(forward, blocks, whole, adam, adamPlain, clip, norm, normPlain, zero);
    }

    /// <summary>The operations one block runs and the head's three products, each as the model runs it in the given type
    /// (null: float32): the setup (inputs, weights) made outside the timed action it returns.</summary>
    private static IEnumerable<(string Name, Func<ScalarType?, Action> Prepare)> Operations(int batch, int t, int c, int heads, int vocab)
    {
        var f32 = ScalarType.Float32;
        // As the model runs it (MixedPrecision.Linear: in bfloat16 through MKL's product where it applies), and in
        // bfloat16 with libtorch's products alone.
        (string, Func<ScalarType?, Action>) LinearOp(int inputs, int outputs, bool libtorchProducts = false) =>
            ($"linear {inputs}→{outputs}{(libtorchProducts ? ", libtorch's products" : "")}", type =>
        {
            var layer = TorchSharp.torch.nn.Linear(inputs, outputs);
            var x = randn(batch, t, inputs).requires_grad_();
            var grad = ones(batch, t, outputs, dtype: type ?? f32);
            return () =>
            {
                using var s = NewDisposeScope();
                MklBf16Product.Enabled = !libtorchProducts;
                try
                {
                    MixedPrecision.Linear(layer, x, type).backward([grad]);
                }
                finally
                {
                    MklBf16Product.Enabled = true;
                }
            };
        });
        foreach (var libtorchProducts in MklBf16Product.Applies ? new[] { false, true } : [false])
        {
            yield return LinearOp(c, 3 * c, libtorchProducts);
            yield return LinearOp(c, c, libtorchProducts);
            yield return LinearOp(c, 4 * c, libtorchProducts);
            yield return LinearOp(4 * c, c, libtorchProducts);
        }
        yield return ("causal attention (scaled_dot_product)", type =>
        {
            var (q, k, v) = (randn(batch, heads, t, c / heads, dtype: type ?? f32).requires_grad_(), randn(batch, heads, t, c / heads, dtype: type ?? f32).requires_grad_(),
                randn(batch, heads, t, c / heads, dtype: type ?? f32).requires_grad_());
            var grad = ones(batch, heads, t, c / heads, dtype: type ?? f32);
            return () =>
            {
                using var s = NewDisposeScope();
                F.scaled_dot_product_attention(q, k, v, is_casual: true).backward([grad]);
            };
        });
        bool fused;
        using (var probe = zeros(1, t, 3 * c)) fused = FusedCausalAttention.Applies(probe, heads);
        if (fused) yield return ("causal attention, Engine's fused kernel", type => // from c_attn's rows
        {
            var qkv = randn(batch, t, 3 * c, dtype: type ?? f32).requires_grad_(); // c_attn's rows, as the model hands them over
            var grad = ones(batch, t, c, dtype: type ?? f32);
            return () =>
            {
                using var s = NewDisposeScope();
                FusedCausalAttention.Apply(qkv, heads).backward([grad]);
            };
        });
        yield return ("GELU (tanh) on the MLP's activation", type =>
        {
            var x = randn(batch, t, 4 * c, dtype: type ?? f32).requires_grad_();
            var grad = ones(batch, t, 4 * c, dtype: type ?? f32);
            return () =>
            {
                using var s = NewDisposeScope();
                F.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh).backward([grad]);
            };
        });
        yield return ("GELU (tanh), the Engine's one pass (FusedGelu)", type =>
        {
            var x = randn(batch, t, 4 * c, dtype: type ?? f32).requires_grad_();
            var grad = ones(batch, t, 4 * c, dtype: type ?? f32);
            return () =>
            {
                using var s = NewDisposeScope();
                FusedGelu.Apply(x).backward([grad]);
            };
        });
        yield return ("layer norm (float32 in both)", _ =>
        {
            var norm = TorchSharp.torch.nn.LayerNorm(c);
            var x = randn(batch, t, c).requires_grad_();
            var grad = ones(batch, t, c);
            return () =>
            {
                using var s = NewDisposeScope();
                norm.forward(x).backward([grad]);
            };
        });
        yield return ("casts of a block's weights and activations", type =>
        {
            var tensors = new[] { randn(3 * c, c), randn(c, c), randn(4 * c, c), randn(c, 4 * c), randn(batch, t, c), randn(batch, t, c), randn(batch, t, c), randn(batch, t, 4 * c) };
            return () =>
            {
                using var s = NewDisposeScope();
                if (type is not { } low) return;
                foreach (var x in tensors) x.to(low).to(f32);
            };
        });
        // The head's products for one slice of 1,024 positions (TiedHeadLoss): logits, the hidden states' gradient, the
        // weight's gradient.
        foreach (var product in new[] { "logits", "hidden states' gradient", "weight's gradient", "weight's gradient transposed", "weight's gradient transposed, widened" })
            yield return ($"head: {product}, 1024 positions × {vocab}", type =>
            {
                var (h, w, g) = (randn(1024, c, dtype: type ?? f32), randn(vocab, c, dtype: type ?? f32), randn(1024, vocab, dtype: type ?? f32));
                var (logits, gradHidden, gradWeight) = (empty(1024, vocab, dtype: type ?? f32), empty(1024, c, dtype: type ?? f32), empty(vocab, c, dtype: type ?? f32));
                var gradWeightT = empty(c, vocab, dtype: type ?? f32);
                var wide = empty(vocab, c);
                return product switch
                {
                    "logits" => () => logits.addmm_(h, w.t(), beta: 0, alpha: 1),
                    "hidden states' gradient" => () => gradHidden.addmm_(g, w, beta: 0, alpha: 1),
                    "weight's gradient" => () => gradWeight.addmm_(g.t(), h, beta: 0, alpha: 1),
                    "weight's gradient transposed" => () => gradWeightT.addmm_(h.t(), g, beta: 0, alpha: 1),
                    _ => () => wide.copy_(gradWeightT.addmm_(h.t(), g, beta: 0, alpha: 1).t()),
                };
            });
        // The same three products as the head takes them in bfloat16 through MKL (float32 results; float32 rows: libtorch's).
        if (MklBf16Product.Applies)
            foreach (var product in new[] { "logits", "hidden states' gradient", "weight's gradient added" })
                yield return ($"head: {product}, MKL into float32, 1024 × {vocab}", type =>
                {
                    var (h, w, g) = (randn(1024, c, dtype: type ?? f32), randn(vocab, c, dtype: type ?? f32), randn(1024, vocab, dtype: type ?? f32));
                    var (logits, gradHidden, gradWeight) = (empty(1024, vocab), empty(1024, c), zeros(vocab, c));
                    return (product, type) switch
                    {
                        ("logits", null) => () => logits.addmm_(h, w.t(), beta: 0, alpha: 1),
                        ("logits", _) => () => MklBf16Product.Multiply(h, false, w, true, logits),
                        ("hidden states' gradient", null) => () => gradHidden.addmm_(g, w, beta: 0, alpha: 1),
                        ("hidden states' gradient", _) => () => MklBf16Product.Multiply(g, false, w, false, gradHidden),
                        (_, null) => () => gradWeight.addmm_(g.t(), h, beta: 1, alpha: 1),
                        _ => () => MklBf16Product.Multiply(g, true, h, false, gradWeight, beta: 1),
                    };
                });
        // The loss and its gradient of one slice (TiedHeadLoss.SliceLoss): row by row, and through libtorch's operations
        // (with, in bfloat16, the gradient's copy into the low type). Repeated on the buffer it leaves: the same work.
        foreach (var rows in new[] { true, false })
            yield return ($"head: loss and gradient, {(rows ? "row by row" : "libtorch's operations")}, 1024 × {vocab}", type =>
            {
                var (logits, ys) = (randn(1024, vocab), randint(0, vocab, [1024, 1], dtype: ScalarType.Int64));
                var gradient = type is { } low ? empty(1024, vocab, dtype: low) : logits;
                return () =>
                {
                    CrossEntropyRows.Enabled = rows;
                    try
                    {
                        TiedHeadLoss.SliceLoss(logits, ys, gradient, 1.0 / 1024);
                    }
                    finally
                    {
                        CrossEntropyRows.Enabled = true;
                    }
                };
            });
        yield return ($"head's type changes, 1024 positions × {vocab}", type =>
        {
            var (low, buffer) = (empty(1024, vocab, dtype: type ?? f32), empty(1024, vocab));
            return () =>
            {
                if (type is null) return;
                buffer.copy_(low);
                low.copy_(buffer);
            };
        });
        yield return ($"head's weight gradient added into float32, {vocab}×{c}", type =>
        {
            var (total, piece) = (zeros(vocab, c), randn(vocab, c, dtype: type ?? f32));
            return () => total.add_(piece);
        });
        yield return ($"the same through a float32 copy", type =>
        {
            var (total, piece, wide) = (zeros(vocab, c), randn(vocab, c, dtype: type ?? f32), empty(vocab, c));
            return () => total.add_(type is null ? piece : wide.copy_(piece));
        });
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
