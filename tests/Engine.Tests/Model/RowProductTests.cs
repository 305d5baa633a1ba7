using System.Runtime.Intrinsics;
using Planner.Engine.Model;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Tests.Model;

public class RowProductTests
{
    public static TheoryData<int, int, int, bool> Shapes => new()
    {
        { 7, 37, 1, true },       // fewer columns than one vector step, and a tail
        { 300, 768, 2, false },   // under the split threshold: one thread whatever is asked
        { 513, 1024, 2, true },   // an odd row count split in two
        { 1030, 1000, 3, true },  // three uneven parts, columns not a multiple of 32
        { 2304, 768, 2, true },   // gpt2's attention projection
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void One_row_times_the_weight_matches_libtorchs_linear(int rows, int columns, int threads, bool withBias)
    {
        using var generator = new Generator(11);
        using var weight = randn(rows, columns, generator: generator);
        using var bias = withBias ? randn(rows, generator: generator) : null;
        foreach (long[] shape in new[] { new long[] { columns }, [1, columns], [1, 1, columns] })
        {
            using var x = randn(shape, generator: generator);
            using var _ = no_grad();
            Assert.Equal(Vector256.IsHardwareAccelerated, RowProduct.Applies(x, weight, bias)); // the product itself is right either way
            using var expected = F.linear(x, weight, bias);
            using var actual = RowProduct.Multiply(x, weight, bias, threads);
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-4), $"largest difference {(actual - expected).abs().max().item<float>()}");
        }
    }

    [Fact]
    public void A_row_that_is_a_view_into_a_larger_tensor_is_read_where_it_is()
    {
        using var generator = new Generator(5);
        using var weight = randn(600, 512, generator: generator);
        using var hidden = randn(1, 4, 512, generator: generator);
        using var _ = no_grad();
        using var last = hidden[.., -1];                                   // (1, 512), a view at an offset
        using var expected = F.linear(last, weight);
        using var actual = RowProduct.Multiply(last, weight, null, 2);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-4));
    }

    [Fact]
    public void Training_more_rows_other_types_and_strided_weights_stay_with_libtorch()
    {
        using var weight = randn(64, 32);
        using var row = randn(1, 32);
        using (no_grad())
        {
            Assert.Equal(Vector256.IsHardwareAccelerated, RowProduct.Applies(row, weight, null));
            using var rows = randn(2, 32);
            Assert.False(RowProduct.Applies(rows, weight, null));
            using var doubleRow = randn(1, 32, dtype: ScalarType.Float64);
            using var doubleWeight = randn(64, 32, dtype: ScalarType.Float64);
            Assert.False(RowProduct.Applies(doubleRow, doubleWeight, null));
            using var transposed = randn(32, 64).t();
            Assert.False(RowProduct.Applies(row, transposed, null));
        }
        Assert.False(RowProduct.Applies(row, weight, null)); // gradients are recorded

        // With gradients recorded, Linear is libtorch's and the gradient reaches the weight.
        using var trained = randn(64, 32).requires_grad_();
        using var output = RowProduct.Linear(row, trained, null);
        Assert.True(output.requires_grad);
        output.sum().backward();
        Assert.NotNull(trained.grad);
        Assert.True(trained.grad!.allclose(row.expand(64, 32)));
    }
}
