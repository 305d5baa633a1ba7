using Planner.Engine.Model;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Tests.Model;

// Not parallel with other classes: CrossEntropyRows.Wide is process-wide.
[Collection(nameof(CrossEntropyRowsTests))]
[CollectionDefinition(nameof(CrossEntropyRowsTests), DisableParallelization = true)]
public class CrossEntropyRowsTests
{
    private const int Rows = 37, Width = 1003; // not a whole number of vectors: the tail is scalar

    private static T InWidth<T>(bool wide, Func<T> test) => VectorWidths.With(w => CrossEntropyRows.Wide = w, wide, test);

    private static (Tensor Logits, Tensor Targets) Data(float offset = 0)
    {
        var logits = randn([Rows, Width], generator: new Generator(31)) * 3 + offset;
        var targets = randint(0, Width, [Rows, 1], generator: new Generator(32), dtype: ScalarType.Int64);
        return (logits, targets);
    }

    [Theory]
    [MemberData(nameof(VectorWidths.AndThreads), MemberType = typeof(VectorWidths))]
    public void The_loss_and_the_float32_gradient_are_libtorchs_cross_entropy_and_its_gradient(bool wide, int threads)
    {
        using var scope = NewDisposeScope();
        foreach (var offset in new[] { 0f, 80f, -80f }) // large logits: the row's maximum keeps the exponentials in range
        {
            var (logits, targets) = Data(offset);
            const float scale = 0.25f;
            var reference = logits.clone().requires_grad_();
            var expected = F.cross_entropy(reference, targets.view(-1), reduction: nn.Reduction.Sum);
            (expected * scale).backward();

            var loss = InWidth(wide, () =>
            {
                Assert.True(CrossEntropyRows.Applies(logits, targets, logits));
                return CrossEntropyRows.LossAndGradient(logits, targets, scale, logits, threads); // the gradient over the logits
            });
            Assert.Equal(expected.item<float>(), loss, expected.item<float>() * 1e-5);
            Assert.True(logits.allclose(reference.grad!, rtol: 1e-4, atol: 1e-8), $"largest difference {(logits - reference.grad!).abs().max().item<float>()}");
        }
    }

    [Theory]
    [MemberData(nameof(VectorWidths.AndThreads), MemberType = typeof(VectorWidths))]
    public void The_bfloat16_gradient_is_the_float32_one_rounded_and_the_logits_are_left(bool wide, int threads)
    {
        using var scope = NewDisposeScope();
        var (logits, targets) = Data();
        var original = logits.clone();
        var wideGradient = logits.clone();
        var gradient = full([Rows + 3, Width], 7f, dtype: ScalarType.BFloat16); // more rows than asked: the rest left
        var (lossWide, lossLow) = InWidth(wide, () => (CrossEntropyRows.LossAndGradient(wideGradient, targets, 0.5f, wideGradient, threads),
            CrossEntropyRows.LossAndGradient(logits, targets, 0.5f, gradient, threads)));

        Assert.Equal(lossWide, lossLow);
        Assert.True(logits.allclose(original, rtol: 0, atol: 0), "the logits are only read");
        var written = gradient.narrow(0, 0, Rows).to(ScalarType.Float32);
        // Rounded to the nearest bfloat16: within half a unit in its last place (2⁻⁹ relative) of the float32 gradient.
        Assert.True(written.allclose(wideGradient, rtol: 1.0 / 256, atol: 1e-12), $"largest difference {(written - wideGradient).abs().max().item<float>()}");
        Assert.True(gradient.narrow(0, Rows, 3).to(ScalarType.Float32).eq(7f).all().item<bool>());
    }

    [Fact]
    public void Without_a_gradient_only_the_loss_is_computed_and_the_logits_are_left()
    {
        using var scope = NewDisposeScope();
        var (logits, targets) = Data();
        var original = logits.clone();
        var expected = F.cross_entropy(logits, targets.view(-1), reduction: nn.Reduction.Sum).item<float>();
        Assert.Equal(expected, CrossEntropyRows.LossAndGradient(logits, targets, 1f, null, 2), expected * 1e-5);
        Assert.True(logits.allclose(original, rtol: 0, atol: 0));
    }

    [Fact]
    public void A_target_outside_the_row_is_a_programming_error()
    {
        using var scope = NewDisposeScope();
        var (logits, targets) = Data();
        targets[3, 0] = tensor(Width);
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropyRows.LossAndGradient(logits, targets, 1f, logits, 2));
        targets[3, 0] = tensor(-1L);
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropyRows.LossAndGradient(logits, targets, 1f, null, 2));
    }
}
