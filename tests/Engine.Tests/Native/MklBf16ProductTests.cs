using Planner.Engine.Native;
using static TorchSharp.torch;

namespace Planner.Engine.Tests.Native;

/// <summary>MKL's bfloat16 product into float32, against libtorch's float32 product of the same (bfloat16) values.</summary>
public class MklBf16ProductTests
{
    private static Tensor Bf16(long rows, long columns, int seed) =>
        randn([rows, columns], generator: new Generator((ulong)seed)).to(ScalarType.BFloat16);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void The_product_is_float32s_product_of_the_same_values_in_either_layout(bool transposeA, bool transposeB)
    {
        const long m = 37, n = 53, k = 70;
        using var scope = NewDisposeScope();
        var a = transposeA ? Bf16(k, m, 1) : Bf16(m, k, 1);
        var b = transposeB ? Bf16(n, k, 2) : Bf16(k, n, 2);
        var opA = (transposeA ? a.t() : a).to(ScalarType.Float32);
        var opB = (transposeB ? b.t() : b).to(ScalarType.Float32);
        var expected = opA.mm(opB);

        var c = full([m, n], float.NaN);                                  // β = 0 reads nothing of C
        MklBf16Product.Multiply(a, transposeA, b, transposeB, c);
        Assert.True(c.allclose(expected, rtol: 1e-5, atol: 1e-4), $"largest difference {(c - expected).abs().max().item<float>()}");

        MklBf16Product.Multiply(a, transposeA, b, transposeB, c, beta: 1);  // β = 1 adds to it
        Assert.True(c.allclose(expected * 2, rtol: 1e-5, atol: 1e-4));
    }

    [Fact]
    public void Rows_narrowed_from_a_larger_result_are_written_in_place_and_the_others_left()
    {
        using var scope = NewDisposeScope();
        var (a, b) = (Bf16(4, 16, 3), Bf16(16, 8, 4));
        var c = zeros(10, 8);
        MklBf16Product.Multiply(a, false, b, false, c.narrow(0, 3, 4));
        Assert.True(c.narrow(0, 3, 4).allclose(a.to(ScalarType.Float32).mm(b.to(ScalarType.Float32)), rtol: 1e-5, atol: 1e-4));
        Assert.Equal(0, c.narrow(0, 0, 3).abs().sum().item<float>());
        Assert.Equal(0, c.narrow(0, 7, 3).abs().sum().item<float>());
    }

    [Fact]
    public void Operands_of_the_wrong_type_layout_or_shape_are_refused()
    {
        using var scope = NewDisposeScope();
        var (a, b, c) = (Bf16(4, 16, 3), Bf16(16, 8, 4), zeros(4, 8));
        Assert.Throws<ArgumentException>(() => MklBf16Product.Multiply(a.to(ScalarType.Float32), false, b, false, c));
        Assert.Throws<ArgumentException>(() => MklBf16Product.Multiply(a, false, b, false, c.to(ScalarType.BFloat16)));
        Assert.Throws<ArgumentException>(() => MklBf16Product.Multiply(a, false, b.t(), false, zeros(4, 16)));   // a view, not contiguous
        Assert.Throws<ArgumentException>(() => MklBf16Product.Multiply(a, true, b, false, c));                   // 16×4 · 16×8
        Assert.Throws<ArgumentException>(() => MklBf16Product.Multiply(a, false, b, false, zeros(4, 9)));
    }
}
