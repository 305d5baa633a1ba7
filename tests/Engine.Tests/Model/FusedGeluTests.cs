using System.Numerics;
using System.Runtime.Intrinsics;
using Planner.Engine.Model;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Tests.Model;

// Not parallel with other classes: FusedGelu's switches are process-wide.
[Collection(nameof(FusedGeluTests))]
[CollectionDefinition(nameof(FusedGeluTests), DisableParallelization = true)]
public class FusedGeluTests
{
    // Two chunks and a part of a third, not a whole number of vectors: chunks shared between threads, a scalar tail.
    private const long Values = 2 * 16_384 + 1_000 + 7;

    private static T InWidth<T>(bool wide, Func<T> test) => VectorWidths.With(w => FusedGelu.Wide = w, wide, test);

    /// <summary>Values over GELU's whole range: most within ±6 (where its curve bends), some far out on both sides,
    /// and zero.</summary>
    private static Tensor Inputs()
    {
        var values = randn([Values], generator: new Generator(41)) * 2.5;
        values[0] = 0f;
        values[1] = 40f;
        values[2] = -40f;
        values[3] = -9f;
        values[4] = 1e-20f;
        return values;
    }

    /// <summary>libtorch's tanh GELU in float64, and its gradient for <paramref name="upstream"/>: the reference both
    /// float32 versions are held to (libtorch's float32 one loses precision where 1 + tanh cancels).</summary>
    private static (Tensor Output, Tensor Gradient) Reference(Tensor x, Tensor upstream)
    {
        var wide = x.to(ScalarType.Float64).requires_grad_();
        var output = F.gelu(wide, TorchSharp.Modules.GELU.Approximate.tanh);
        output.backward([upstream.to(ScalarType.Float64)]);
        return (output.detach(), wide.grad!);
    }

    [Theory]
    [MemberData(nameof(VectorWidths.AndThreads), MemberType = typeof(VectorWidths))]
    public void Float32_output_and_gradient_match_the_tanh_gelu_in_float64(bool wide, int threads)
    {
        using var scope = NewDisposeScope();
        var x = Inputs();
        var upstream = randn([Values], generator: new Generator(42));
        var (expected, expectedGradient) = Reference(x, upstream);
        var (output, gradient) = InWidth(wide, () => (FusedGelu.Forward(x, threads), FusedGelu.Backward(x, upstream, threads)));
        Assert.Equal(ScalarType.Float32, output.dtype);
        // Far left the float64 reference itself cancels (1 + tanh(u) rounds to 0 where GELU is under 10⁻¹⁵).
        AssertClose(expected, output, 2e-6, absolute: 1e-12);
        // GELU's slope crosses zero (near −0.75): there the gradient is held to its scale, not its own size.
        AssertClose(expectedGradient, gradient, 2e-6, absolute: 2e-6 * expectedGradient.abs().max().item<double>());
        // libtorch's own float32 GELU, the model's before, agrees to its precision (it loses digits where 1 + tanh(u)
        // cancels, so it is not the reference).
        using var libtorch = F.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh);
        AssertClose(expected, libtorch, 1e-5, absolute: 1e-6);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double relative, double absolute = 1e-30)
    {
        using var difference = (actual.to(ScalarType.Float64) - expected).abs();
        using var allowed = expected.abs() * relative + absolute;
        var worst = (difference - allowed).max().item<double>();
        var at = (difference - allowed).argmax().item<long>();
        Assert.True(worst <= 0, $"off by {difference[at].item<double>()} at {at} (expected {expected[at].item<double>()}, got {actual[at].item<float>()}), beyond {relative} relative and {absolute} absolute");
    }

    [Theory]
    [MemberData(nameof(VectorWidths.AndThreads), MemberType = typeof(VectorWidths))]
    public void Bfloat16_results_are_the_float32_ones_of_the_same_values_rounded(bool wide, int threads)
    {
        using var scope = NewDisposeScope();
        var x = Inputs().to(ScalarType.BFloat16);
        var upstream = randn([Values], generator: new Generator(43)).to(ScalarType.BFloat16);
        var (output, gradient, output32, gradient32) = InWidth(wide, () => (FusedGelu.Forward(x, threads), FusedGelu.Backward(x, upstream, threads),
            FusedGelu.Forward(x.to(ScalarType.Float32), threads), FusedGelu.Backward(x.to(ScalarType.Float32), upstream.to(ScalarType.Float32), threads)));
        Assert.Equal(ScalarType.BFloat16, output.dtype);
        Assert.Equal(ScalarType.BFloat16, gradient.dtype);
        Assert.Equal(Bits(output32.to(ScalarType.BFloat16)), Bits(output));
        Assert.Equal(Bits(gradient32.to(ScalarType.BFloat16)), Bits(gradient));
    }

    private static uint[] Bits(Tensor t) => [.. t.to(ScalarType.Float32).data<float>().ToArray().Select(BitConverter.SingleToUInt32Bits)];

    [Fact]
    public void A_gradient_of_another_type_is_taken_in_the_inputs_type_and_a_wrong_shape_is_refused()
    {
        using var scope = NewDisposeScope();
        var x = Inputs().to(ScalarType.BFloat16);
        var upstream = randn([Values], generator: new Generator(44));
        Assert.Equal(Bits(FusedGelu.Backward(x, upstream.to(ScalarType.BFloat16), 2)), Bits(FusedGelu.Backward(x, upstream, 2)));
        Assert.Throws<ArgumentException>(() => FusedGelu.Backward(x, upstream.narrow(0, 0, 10), 2));
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void In_place_the_gradient_is_written_over_the_one_handed_in_with_the_same_values(ScalarType type)
    {
        using var scope = NewDisposeScope();
        var x = Inputs().to(type);
        var upstream = randn([Values], generator: new Generator(49)).to(type);
        var expected = FusedGelu.Backward(x, upstream, 2);
        var handedIn = upstream.clone();
        var result = FusedGelu.Backward(x, handedIn, 2, inPlace: true);
        Assert.Equal(Bits(expected), Bits(handedIn));                     // written over
        Assert.Equal(Bits(expected), Bits(result));
        result.add_(1);
        Assert.Equal(Bits(result), Bits(handedIn));                       // the same memory
        // A gradient of another type is converted, so not written over.
        var wider = upstream.to(ScalarType.Float64);
        var copy = wider.clone();
        Assert.Equal(Bits(expected), Bits(FusedGelu.Backward(x, wider, 2, inPlace: true)));
        Assert.Equal(Bits(copy), Bits(wider));
    }

    [Fact]
    public void A_nan_stays_a_nan_and_nothing_is_a_no_op()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { float.NaN, 1f, float.NaN });
        var output = FusedGelu.Forward(x, 1);
        Assert.True(float.IsNaN(output[0].item<float>()) && float.IsNaN(output[2].item<float>()));
        Assert.Equal(0.841192f, output[1].item<float>(), 5);
        Assert.Equal(0, FusedGelu.Forward(empty(0), 2).numel());
    }

    [Fact]
    public void The_decoding_steps_gelu_in_place_is_the_same()
    {
        using var scope = NewDisposeScope();
        var x = Inputs();
        var values = x.data<float>().ToArray();
        FusedGelu.ForwardInPlace(values);
        Assert.Equal(FusedGelu.Forward(x, 2).data<float>().ToArray(), values);
    }

    [Fact]
    public void It_applies_to_float32_and_bfloat16_cpu_tensors_where_the_cpu_has_vectors()
    {
        using var scope = NewDisposeScope();
        var hardware = Vector512.IsHardwareAccelerated || Vector.IsHardwareAccelerated;
        Assert.Equal(hardware, FusedGelu.Applies(zeros(3, 5)));
        Assert.Equal(hardware, FusedGelu.Applies(zeros([3, 5], ScalarType.BFloat16)));
        Assert.False(FusedGelu.Applies(zeros([3, 5], ScalarType.Float64)));
        FusedGelu.Enabled = false;
        try
        {
            Assert.False(FusedGelu.Applies(zeros(3, 5)));
        }
        finally
        {
            FusedGelu.Enabled = true;
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(ScalarType.BFloat16)]
    public void The_model_trains_through_it_as_through_libtorchs_gelu(ScalarType? matmulType)
    {
        var config = new GptConfig(VocabSize: 101, ContextLength: 256, Layers: 2, Heads: 2, Embedding: 64);
        using var idx = randint(0, config.VocabSize, [2, 48], generator: new Generator(45), dtype: ScalarType.Int64);
        var (fusedLoss, fusedGrads) = LossAndGradients(config, idx, fused: true, matmulType);
        var (libtorchLoss, libtorchGrads) = LossAndGradients(config, idx, fused: false, matmulType);
        // In bfloat16 the two round the activation each in their own way: agreement to bfloat16's precision.
        var (lossTolerance, gradientTolerance) = matmulType is null ? (1e-5, 1e-3) : (5e-3, 0.05);
        Assert.InRange(fusedLoss, libtorchLoss * (1 - lossTolerance), libtorchLoss * (1 + lossTolerance));
        foreach (var (name, grad) in libtorchGrads)
        {
            var scale = grad.abs().max().item<float>();
            Assert.True(fusedGrads[name].allclose(grad, rtol: 0, atol: gradientTolerance * scale + 1e-7),
                $"{name} off by {(fusedGrads[name] - grad).abs().max().item<float>()} (largest {scale})");
        }
        foreach (var grad in fusedGrads.Values.Concat(libtorchGrads.Values)) grad.Dispose();
    }

    private static (float Loss, Dictionary<string, Tensor> Grads) LossAndGradients(GptConfig config, Tensor idx, bool fused, ScalarType? matmulType)
    {
        FusedGelu.Enabled = fused;
        try
        {
            using (var probe = zeros([1, 3], matmulType ?? ScalarType.Float32))
                Assert.Equal(fused && (Vector512.IsHardwareAccelerated || Vector.IsHardwareAccelerated), FusedGelu.Applies(probe));
            torch.manual_seed(46);
            using var model = new Gpt(config);
            using var precision = MixedPrecision.Use(model, matmulType);
            using var scope = NewDisposeScope();
            var logits = model.forward(idx);
            var loss = F.cross_entropy(logits.view(-1, config.VocabSize), idx.view(-1));
            loss.backward();
            return (loss.item<float>(), model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone().DetachFromDisposeScope()));
        }
        finally
        {
            FusedGelu.Enabled = true;
        }
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void Steps_inside_a_dispose_scope_leave_no_tensor_handles_behind(ScalarType type)
    {
        var config = new GptConfig(VocabSize: 101, ContextLength: 256, Layers: 2, Heads: 2, Embedding: 64);
        torch.manual_seed(47);
        using var model = new Gpt(config);
        using var precision = MixedPrecision.Use(model, type == ScalarType.Float32 ? null : type);
        using var idx = randint(0, config.VocabSize, [1, 40], generator: new Generator(48), dtype: ScalarType.Int64);
        Step();                                               // the parameters' gradients exist from here on
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 3; i++) Step();
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        void Step()
        {
            using var scope = NewDisposeScope();
            using var logits = model.forward(idx);
            F.cross_entropy(logits.view(-1, config.VocabSize), idx.view(-1)).backward();
        }
    }
}
