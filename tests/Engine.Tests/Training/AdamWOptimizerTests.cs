using Planner.Engine.Training;
using TorchSharp;
using TorchSharp.Modules;

namespace Planner.Engine.Tests.Training;

public class AdamWOptimizerTests
{
    [Fact]
    public void Steps_match_torch_AdamW_with_decoupled_weight_decay()
    {
        torch.manual_seed(5);
        using var start = torch.randn(4, 3);
        var ours = new Parameter(start.clone());
        var theirs = new Parameter(start.clone());
        using var optimizer = new AdamWOptimizer([("w", ours)], beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1);
        var reference = torch.optim.AdamW([theirs], lr: 0.01, beta1: 0.9, beta2: 0.95, eps: 1e-8, weight_decay: 0.1);
        for (var i = 0; i < 5; i++)
        {
            using var target = torch.randn(4, 3);
            foreach (var (p, step) in new (Parameter, Action)[] { (ours, () => optimizer.Step(0.01)), (theirs, () => reference.step()) })
            {
                p.grad?.zero_();
                using var loss = (p - target).pow(2).sum();
                loss.backward();
                step();
            }
        }
        Assert.True(ours.allclose(theirs, rtol: 1e-5, atol: 1e-6), $"max diff {(ours - theirs).abs().max().item<float>()}");
        Assert.False(ours.allclose(start));
    }

    [Fact]
    public void A_parameter_larger_than_one_denominator_chunk_steps_as_torch_AdamW()
    {
        torch.manual_seed(6);
        using var start = torch.randn(3001, 3001); // 9M values: two chunks of the update and a short third
        var ours = new Parameter(start.clone());
        var theirs = new Parameter(start.clone());
        using var optimizer = new AdamWOptimizer([("w", ours)]);
        var reference = torch.optim.AdamW([theirs], lr: 0.01, beta1: 0.9, beta2: 0.95, eps: 1e-8, weight_decay: 0.1);
        for (var i = 0; i < 2; i++)
        {
            using var gradient = torch.randn(3001, 3001);
            optimizer.ZeroGrad();
            ours.grad!.copy_(gradient);
            theirs.grad = gradient.clone();
            optimizer.Step(0.01);
            reference.step();
        }
        Assert.True(ours.allclose(theirs, rtol: 1e-5, atol: 1e-6), $"max diff {(ours - theirs).abs().max().item<float>()}");
        using var tail = (ours - start).view(-1)[^1000..].abs().mean();
        Assert.True(tail.item<float>() > 0.005, "the short last chunk moved as much as the rest");
    }

    [Fact]
    public void The_fused_pass_steps_as_libtorchs_operations_do_split_among_threads_or_not()
    {
        // A matrix large enough to be split among threads (its length no multiple of the vector width), a short bias
        // that is not decayed, and a vector of a length that leaves a scalar tail.
        torch.manual_seed(8);
        var shapes = new (string Name, long[] Shape)[] { ("h.0.mlp.c_fc.weight", [601, 701]), ("h.0.mlp.c_fc.bias", [37]), ("wpe.weight", [3, 5]) };
        var starts = shapes.Select(s => torch.randn(s.Shape)).ToList();
        Parameter[] Copy() => [.. starts.Select(t => new Parameter(t.clone()))];
        var (fused, plain) = (Copy(), Copy());
        using var fusedOptimizer = new AdamWOptimizer(shapes.Select((s, i) => (s.Name, fused[i])));
        using var plainOptimizer = new AdamWOptimizer(shapes.Select((s, i) => (s.Name, plain[i]))) { Fused = false };
        Assert.True(fusedOptimizer.Fused);
        for (var step = 0; step < 3; step++)
        {
            fusedOptimizer.ZeroGrad();
            plainOptimizer.ZeroGrad();
            for (var i = 0; i < shapes.Length; i++)
            {
                using var gradient = torch.randn(shapes[i].Shape) * (i + 1);
                fused[i].grad!.copy_(gradient);
                plain[i].grad!.copy_(gradient);
            }
            fusedOptimizer.Step(0.02 / (step + 1));
            plainOptimizer.Step(0.02 / (step + 1));
        }
        for (var i = 0; i < shapes.Length; i++)
        {
            Assert.True(fused[i].allclose(plain[i], rtol: 1e-6, atol: 1e-7), $"{shapes[i].Name}: max diff {(fused[i] - plain[i]).abs().max().item<float>()}");
            using var moved = (fused[i] - starts[i]).abs().min();
            Assert.True(moved.item<float>() > 0, $"{shapes[i].Name}: every value moved");
            var state = (fusedOptimizer.StateDict(), plainOptimizer.StateDict());
            foreach (var moment in new[] { "exp_avg", "exp_avg_sq" })
            {
                var (a, b) = (state.Item1[$"{moment}.{shapes[i].Name}"], state.Item2[$"{moment}.{shapes[i].Name}"]);
                Assert.True(a.allclose(b, rtol: 1e-6, atol: 1e-7), $"{moment}.{shapes[i].Name}: max diff {(a - b).abs().max().item<float>()}");
            }
        }
        Assert.False(fusedOptimizer.Decays("h.0.mlp.c_fc.bias"));
    }

    [Fact]
    public void The_fused_pass_gives_the_same_floats_whatever_the_number_of_parts()
    {
        // Element-wise on part boundaries that are whole cache lines: each value goes through the same operations in any
        // split, so every part count must give the floats of one part, bit for bit. Counts other than libtorch's two
        // threads here: one, odd ones, more than the cores (parts come from the thread count a host sets).
        var n = AdamWOptimizer.SplitFromElements + 37;                          // split, with a scalar tail
        torch.manual_seed(12);
        using var start = torch.randn(n);
        using var gradients = torch.randn(3, n);
        torch.Tensor[] RunWith(int parts)
        {
            var parameter = new Parameter(start.clone());
            using var optimizer = new AdamWOptimizer([("h.0.attn.c_attn.weight", parameter)]) { FusedParts = parts };
            Assert.True(optimizer.Fused);
            for (var step = 0; step < 3; step++)
            {
                optimizer.ZeroGrad();
                parameter.grad!.copy_(gradients[step]);
                optimizer.Step(0.01, gradientScale: 0.5);
            }
            var state = optimizer.StateDict();
            return [parameter.detach().clone(), state["exp_avg.h.0.attn.c_attn.weight"].clone(), state["exp_avg_sq.h.0.attn.c_attn.weight"].clone()];
        }
        var one = RunWith(1);
        Assert.InRange((one[0] - start).abs().mean().item<float>(), 0.005f, 0.05f);  // three steps of about the rate each
        foreach (var parts in new[] { 2, 3, 7 })
        {
            var split = RunWith(parts);
            for (var k = 0; k < one.Length; k++)
                Assert.True(split[k].eq(one[k]).all().item<bool>(), $"{parts} parts, tensor {k}: max diff {(split[k] - one[k]).abs().max().item<float>()}");
        }
    }

    [Fact]
    public void The_token_embeddings_sparse_gradient_is_added_into_a_dense_one()
    {
        using var model = new Planner.Engine.Model.Gpt(TinyModels.Gpt2Vocabulary, seed: 2);
        using var optimizer = new AdamWOptimizer(model.named_parameters());
        optimizer.ZeroGrad();
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
        using var ids = torch.tensor(new long[] { 11, 7, 11, 3 }, [1, 4]);
        // The head is not used: the lookup is the token embedding's only gradient, as when training a classifier.
        using (var hidden = model.HiddenStates(ids)) hidden.pow(2).sum().backward();
        var grad = model.TiedHeadWeight.grad!;
        Assert.False(grad.is_sparse);
        var rowNorms = grad.abs().sum(1);
        Assert.All(new[] { 3L, 7L, 11L }, row => Assert.True(rowNorms[row].item<float>() > 0));
        Assert.Equal(0f, rowNorms.sum().item<float>() - rowNorms[3].item<float>() - rowNorms[7].item<float>() - rowNorms[11].item<float>(), 3);
    }

    [Fact]
    public void Clipping_returns_the_global_norm_and_zero_only_measures_it()
    {
        using var weight = new Parameter(torch.tensor(new float[] { 3, 0 }));
        using var bias = new Parameter(torch.tensor(new float[] { 4 }));
        using var optimizer = new AdamWOptimizer([("w", weight), ("b", bias)]);
        void Gradients() { optimizer.ZeroGrad(); weight.grad!.copy_(torch.tensor(new float[] { 3, 0 })); bias.grad!.copy_(torch.tensor(new float[] { 4 })); }

        Gradients();
        Assert.Equal(5.0, optimizer.ClipGradients(0), 5);                                // √(3² + 4²), gradients untouched
        Assert.Equal(3f, weight.grad![0].item<float>());
        Assert.Equal(4f, bias.grad![0].item<float>());

        Gradients();
        Assert.Equal(5.0, optimizer.ClipGradients(1), 5);                                // the norm before clipping …
        Assert.Equal(0.6f, weight.grad![0].item<float>(), 4);                            // … and every gradient scaled to norm 1
        Assert.Equal(0.8f, bias.grad![0].item<float>(), 4);

        Gradients();
        bias.grad!.fill_(float.PositiveInfinity);
        Assert.Equal(double.PositiveInfinity, optimizer.ClipGradients(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.ClipGradients(-1));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_norm_is_torchs_and_a_step_with_its_scale_is_the_step_after_torchs_clipping_leaving_the_gradients_as_they_are(bool fused)
    {
        // A matrix large enough that its norm and its step are split among threads, a short bias, a small matrix.
        torch.manual_seed(9);
        var shapes = new (string Name, long[] Shape)[] { ("h.0.mlp.c_fc.weight", [601, 701]), ("h.0.mlp.c_fc.bias", [37]), ("wpe.weight", [3, 5]) };
        var starts = shapes.Select(s => torch.randn(s.Shape)).ToList();
        var gradients = shapes.Select((s, i) => torch.randn(s.Shape) * (i + 1)).ToList();
        Parameter[] Copy() => [.. starts.Select(t => new Parameter(t.clone()))];
        var (scaled, clipped) = (Copy(), Copy());
        using var scaledOptimizer = new AdamWOptimizer(shapes.Select((s, i) => (s.Name, scaled[i]))) { Fused = fused };
        using var clippedOptimizer = new AdamWOptimizer(shapes.Select((s, i) => (s.Name, clipped[i]))) { Fused = fused };
        for (var step = 0; step < 2; step++)
        {
            scaledOptimizer.ZeroGrad();
            clippedOptimizer.ZeroGrad();
            for (var i = 0; i < shapes.Length; i++)
            {
                scaled[i].grad!.copy_(gradients[i]);
                clipped[i].grad!.copy_(gradients[i]);
            }
            var norm = scaledOptimizer.GradientNorm();
            var maxNorm = norm / 3;                                                   // clipping is on
            Assert.Equal(torch.nn.utils.clip_grad_norm_(clipped, maxNorm), norm, norm * 1e-5); // torch's clipping measures the same
            scaledOptimizer.Step(0.02, AdamWOptimizer.ClipScale(norm, maxNorm));
            clippedOptimizer.Step(0.02);
            for (var i = 0; i < shapes.Length; i++)
                Assert.True(scaled[i].grad!.eq(gradients[i]).all().item<bool>(), $"{shapes[i].Name}: the gradient is left as it was");
        }
        for (var i = 0; i < shapes.Length; i++)
            Assert.True(scaled[i].allclose(clipped[i], rtol: 1e-6, atol: 1e-7), $"{shapes[i].Name}: max diff {(scaled[i] - clipped[i]).abs().max().item<float>()}");
    }

    [Fact]
    public void The_norm_is_the_float64_norm_the_same_for_any_number_of_parts_and_carries_nan_and_infinity()
    {
        // Gradients that end inside a chunk and inside a vector, one of several chunks, a bias, a small matrix.
        torch.manual_seed(11);
        long[][] shapes = [[300_001], [37], [3, 5], [70_000]];
        var parameters = shapes.Select(s => new Parameter(torch.zeros(s))).ToArray();
        using var optimizer = new AdamWOptimizer(parameters.Select((p, i) => ($"h.{i}.weight", p)));
        optimizer.ZeroGrad();
        for (var i = 0; i < shapes.Length; i++) parameters[i].grad!.copy_(torch.randn(shapes[i]) * (i + 1) + 0.25);
        var expected = Math.Sqrt(parameters.Sum(p => p.grad!.to(torch.float64).square().sum().item<double>()));
        var norms = new[] { 1, 2, 3, 7 }.Select(parts =>
        {
            optimizer.FusedParts = parts;
            return optimizer.GradientNorm();
        }).ToList();
        Assert.All(norms, n => Assert.Equal(norms[0], n));                        // bit for bit in any split
        // Summed in double where the one pass runs (256-bit vectors), in float32 by libtorch elsewhere.
        Assert.Equal(expected, norms[0], expected * (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? 1e-12 : 1e-5));
        optimizer.Fused = false;
        Assert.Equal(expected, optimizer.GradientNorm(), expected * 1e-5);         // libtorch's float32 norms
        optimizer.Fused = true;
        parameters[3].grad![69_999] = torch.tensor(float.NegativeInfinity);
        Assert.True(double.IsPositiveInfinity(optimizer.GradientNorm()));
        parameters[0].grad![5] = torch.tensor(float.NaN);
        Assert.True(double.IsNaN(optimizer.GradientNorm()));
    }

    [Fact]
    public void Clippings_scale_is_torchs()
    {
        Assert.Equal(1.0, AdamWOptimizer.ClipScale(0.5, 1.0));
        Assert.Equal(1.0 / (4 + 1e-6), AdamWOptimizer.ClipScale(4, 1.0), 12);
        Assert.Equal(1.0, AdamWOptimizer.ClipScale(1e9, 0));                          // no clipping
        Assert.Throws<ArgumentOutOfRangeException>(() => AdamWOptimizer.ClipScale(1, -1));
        using var p = new Parameter(torch.ones(3));
        using var optimizer = new AdamWOptimizer([("w", p)]);
        optimizer.ZeroGrad();
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Step(0.1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Step(0.1, double.NaN));
    }

    [Fact]
    public void Biases_and_layer_norms_are_not_decayed_matrices_and_embeddings_are()
    {
        using var model = new Planner.Engine.Model.Gpt(TinyModels.Gpt2Vocabulary);
        using var optimizer = new AdamWOptimizer(model.named_parameters());
        Assert.True(optimizer.Decays("wte.weight"));
        Assert.True(optimizer.Decays("h.0.attn.c_attn.weight"));
        Assert.False(optimizer.Decays("h.0.attn.c_attn.bias"));
        Assert.False(optimizer.Decays("h.0.ln_1.weight"));
        Assert.False(optimizer.Decays("ln_f.bias"));
    }
}
