using Planner.Engine.Model;
using Planner.Engine.Native;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Tests.Model;

/// <summary>Mixed precision by casts: the products in bfloat16, float32 back to the residual stream and into the
/// gradients, and nothing changed outside the scope.</summary>
[Collection(nameof(Bf16LinearTests))] // MklBf16Product's switches are process-wide
public class MixedPrecisionTests
{
    private static readonly GptConfig Shape = new(VocabSize: 512, ContextLength: 256, Layers: 1, Heads: 2, Embedding: 64);

    [Fact]
    public void The_mlp_multiplies_in_bfloat16_inside_the_scope_and_hands_back_float32()
    {
        using var mlp = new Mlp(Shape);
        var p = mlp.named_parameters().ToDictionary(n => n.name, n => n.parameter);
        using var generator = new Generator(3);
        using var x = randn([2, 8, Shape.Embedding], generator: generator);
        using var float32 = mlp.forward(x);

        Tensor mixed;
        using (MixedPrecision.Use(mlp, ScalarType.BFloat16)) mixed = mlp.forward(x);
        using var again = mlp.forward(x);

        // What autocast would compute: each product's inputs in bfloat16, the result back in float32.
        var bf16 = ScalarType.BFloat16;
        using var hidden = F.gelu(F.linear(x.to(bf16), p["c_fc.weight"].to(bf16), p["c_fc.bias"].to(bf16)), TorchSharp.Modules.GELU.Approximate.tanh);
        using var expected = F.linear(hidden, p["c_proj.weight"].to(bf16), p["c_proj.bias"].to(bf16)).to(ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, mixed.dtype);
        Assert.True(mixed.allclose(expected, rtol: 0, atol: 0));                   // exactly that
        Assert.True((mixed - float32).abs().max().item<float>() > 0);              // bfloat16's rounding shows
        Assert.True(mixed.allclose(float32, rtol: 0.05, atol: 0.02));               // and is only rounding
        Assert.True(again.allclose(float32, rtol: 0, atol: 0));                                         // the scope restored float32
        mixed.Dispose();
    }

    /// <summary>Through libtorch's products: in one slice the head's weight gradient is widened to float32 in the logits
    /// buffer; in slices of 16 rows that buffer is smaller than the weight (512 × 64), and it is widened on its own.
    /// Through MKL's (on every machine, also where its bfloat16 kernels do not run): each product writes float32.</summary>
    [Theory]
    [InlineData(TiedHeadLoss.DefaultSliceElements, false)]
    [InlineData(16L * 512, false)]
    [InlineData(TiedHeadLoss.DefaultSliceElements, true)]
    [InlineData(16L * 512, true)]
    public void In_bfloat16_the_loss_and_every_gradient_stay_float32_and_close_to_float32s(long sliceElements, bool mkl)
    {
        MklBf16Product.Enabled = mkl;
        MklBf16Product.EvenWithoutHardware = true;
        try
        {
            LossAndGradientsCloseToFloat32s(sliceElements);
        }
        finally
        {
            MklBf16Product.Enabled = true;
            MklBf16Product.EvenWithoutHardware = false;
        }
    }

    private static void LossAndGradientsCloseToFloat32s(long sliceElements)
    {
        using var reference = new Gpt(Shape, seed: 4);
        using var mixed = new Gpt(Shape, seed: 4);
        using var headLoss = new TiedHeadLoss(sliceElements);
        var random = new Random(5);
        using var data = tensor(Enumerable.Range(0, 2 * 257).Select(_ => (long)random.Next(Shape.VocabSize)).ToArray(), [2, 257]);
        var (x, y) = (data[.., ..^1], data[.., 1..]);

        var expected = headLoss.ForwardBackward(reference, x, y);
        double actual;
        using (MixedPrecision.Use(mixed, ScalarType.BFloat16)) actual = headLoss.ForwardBackward(mixed, x, y);

        Assert.NotEqual(expected, actual);
        Assert.True(Math.Abs(actual - expected) < 1e-2 * expected, $"{actual} against {expected}");
        var theirs = reference.named_parameters().ToDictionary(n => n.name, n => n.parameter);
        foreach (var (name, ours) in mixed.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, ours.dtype);
            Assert.Equal(ScalarType.Float32, ours.grad!.dtype);
            var (a, b) = (ours.grad!.flatten(), theirs[name].grad!.flatten());
            var cosine = F.cosine_similarity(a, b, dim: 0).item<float>();
            Assert.True(cosine > 0.99, $"{name}: cosine {cosine} with float32's gradient");
        }
        Assert.Null(mixed.MatmulType);
    }
}
