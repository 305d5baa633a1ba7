using Planner.Engine.Model;
using Planner.Engine.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Tests.Model;

// Not parallel with other classes: MklBf16Product's switches are process-wide.
[Collection(nameof(Bf16LinearTests))]
[CollectionDefinition(nameof(Bf16LinearTests), DisableParallelization = true)]
public class Bf16LinearTests
{
    private const long Inputs = 48, Outputs = 80;

    /// <summary>Runs <paramref name="test"/> with MKL's product (on every machine, also where its bfloat16 kernels do
    /// not run) or with libtorch's, then puts the switches back.</summary>
    private static T With<T>(bool mkl, Func<T> test)
    {
        MklBf16Product.Enabled = mkl;
        MklBf16Product.EvenWithoutHardware = true;
        try
        {
            return test();
        }
        finally
        {
            MklBf16Product.Enabled = true;
            MklBf16Product.EvenWithoutHardware = false;
        }
    }

    private static Linear Layer()
    {
        torch.manual_seed(21);
        return nn.Linear(Inputs, Outputs);
    }

    /// <summary>One forward and backward pass through the layer in bfloat16 mixed precision (a weighted sum of the
    /// outputs as the loss); the gradients of the weight, the bias and the input, in float64 copies.</summary>
    private static (Tensor Weight, Tensor Bias, Tensor Input, bool Mkl) Gradients(bool mkl, ScalarType inputType, int passes = 1)
    {
        using var layer = Layer();
        return With(mkl, () =>
        {
            using var scope = NewDisposeScope();
            var x = randn([2, 7, Inputs], generator: new Generator(22)).to(inputType).requires_grad_();
            var weights = randn([2, 7, Outputs], generator: new Generator(23));
            var applied = Bf16Linear.Applies(x, layer);
            for (var i = 0; i < passes; i++)
            {
                var y = MixedPrecision.Linear(layer, x, ScalarType.BFloat16);
                Assert.Equal(ScalarType.BFloat16, y.dtype);
                (y.to(ScalarType.Float32) * weights).sum().backward();
            }
            Assert.Equal(inputType, x.grad!.dtype);
            Assert.Equal(ScalarType.Float32, layer.weight!.grad!.dtype);
            return (layer.weight.grad.to(ScalarType.Float64).DetachFromDisposeScope(), layer.bias!.grad!.to(ScalarType.Float64).DetachFromDisposeScope(),
                x.grad.to(ScalarType.Float64).DetachFromDisposeScope(), applied);
        });
    }

    /// <summary>The exact gradients of the bfloat16 product's inputs (x, W and the output's gradient rounded to
    /// bfloat16, as both paths multiply them), in float64.</summary>
    private static (Tensor Weight, Tensor Bias, Tensor Input) Exact(ScalarType inputType)
    {
        using var layer = Layer();
        using var scope = NewDisposeScope();
        var x = randn([2, 7, Inputs], generator: new Generator(22)).to(inputType).to(ScalarType.BFloat16).to(ScalarType.Float64).reshape(-1, Inputs);
        var g = randn([2, 7, Outputs], generator: new Generator(23)).to(ScalarType.BFloat16).to(ScalarType.Float64).reshape(-1, Outputs);
        var w = layer.weight!.detach().to(ScalarType.BFloat16).to(ScalarType.Float64);
        return (g.t().mm(x).DetachFromDisposeScope(), g.sum(dim: 0).DetachFromDisposeScope(), g.mm(w).reshape(2, 7, Inputs).DetachFromDisposeScope());
    }

    private static double RelativeError(Tensor actual, Tensor exact) => ((actual - exact).abs().max() / exact.abs().max()).item<double>();

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void Mkls_gradients_are_the_exact_ones_in_float32_where_libtorchs_are_rounded_to_bfloat16(ScalarType inputType)
    {
        var exact = Exact(inputType);
        var ours = Gradients(mkl: true, inputType);
        var theirs = Gradients(mkl: false, inputType);
        Assert.True(ours.Mkl);
        Assert.False(theirs.Mkl);

        // The weight's gradient: accumulated and kept in float32 (libtorch's is rounded to bfloat16, some 2⁻⁹ apart).
        Assert.True(RelativeError(ours.Weight, exact.Weight) < 1e-5, $"weight: {RelativeError(ours.Weight, exact.Weight)}");
        Assert.True(RelativeError(theirs.Weight, exact.Weight) is > 1e-4 and < 1e-2, $"libtorch's weight: {RelativeError(theirs.Weight, exact.Weight)}");
        Assert.True(RelativeError(ours.Bias, exact.Bias) < 1e-5, $"bias: {RelativeError(ours.Bias, exact.Bias)}");
        // The input's gradient: float32 for a float32 input (the exact product), bfloat16 for a bfloat16 one (rounded, as libtorch's).
        var inputBound = inputType == ScalarType.Float32 ? 1e-5 : 1e-2;
        Assert.True(RelativeError(ours.Input, exact.Input) < inputBound, $"input: {RelativeError(ours.Input, exact.Input)}");
        Assert.True(RelativeError(ours.Input, theirs.Input) < 1e-2);
    }

    [Fact]
    public void Backward_passes_before_a_step_add_up_in_float32()
    {
        var once = Gradients(mkl: true, ScalarType.Float32);
        var twice = Gradients(mkl: true, ScalarType.Float32, passes: 2);
        Assert.True(twice.Weight.allclose(once.Weight * 2, rtol: 0, atol: 0));
        Assert.True(twice.Bias.allclose(once.Bias * 2, rtol: 0, atol: 0));
        Assert.True(twice.Input.allclose(once.Input * 2, rtol: 0, atol: 0));
    }

    [Fact]
    public void Without_gradients_or_for_a_frozen_layer_libtorchs_product_runs()
    {
        using var layer = Layer();
        With(mkl: true, () =>
        {
            using var scope = NewDisposeScope();
            var x = randn([3, Inputs]).requires_grad_();
            Assert.True(Bf16Linear.Applies(x, layer));
            Assert.False(Bf16Linear.Applies(x.detach(), layer));               // nothing to learn through the input
            using (no_grad()) Assert.False(Bf16Linear.Applies(x, layer));     // evaluation
            layer.weight!.requires_grad = false;
            Assert.False(Bf16Linear.Applies(x, layer));
            return 0;
        });
    }

    [Fact]
    public void Steps_inside_a_dispose_scope_leave_no_tensor_handles_behind()
    {
        var config = new GptConfig(VocabSize: 101, ContextLength: 256, Layers: 2, Heads: 2, Embedding: 64);
        torch.manual_seed(6);
        using var model = new Gpt(config);
        using var precision = MixedPrecision.Use(model, ScalarType.BFloat16);
        using var idx = randint(0, config.VocabSize, [2, 40], generator: new Generator(8), dtype: ScalarType.Int64);
        With(mkl: true, () =>
        {
            using (var layer = nn.Linear(config.Embedding, config.Embedding))
            using (var x = randn([2, config.Embedding]).requires_grad_())
                Assert.True(Bf16Linear.Applies(x, layer));       // the model's layers take the node here
            Step();                                               // the parameters' gradients exist from here on
            var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            for (var i = 0; i < 3; i++) Step();
            Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            return 0;
        });

        void Step()
        {
            using var scope = NewDisposeScope();
            using var logits = model.forward(idx);
            F.cross_entropy(logits.view(-1, config.VocabSize), idx.view(-1)).backward();
        }
    }
}
