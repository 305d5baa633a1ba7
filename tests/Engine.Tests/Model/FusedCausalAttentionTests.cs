using System.Runtime.Intrinsics;
using Planner.Engine.Model;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Tests.Model;

// Not parallel with other classes: FusedCausalAttention.Enabled is process-wide.
[Collection(nameof(FusedCausalAttentionTests))]
[CollectionDefinition(nameof(FusedCausalAttentionTests), DisableParallelization = true)]
public class FusedCausalAttentionTests
{
    /// <summary>Each shape with the 512-bit vectors and with the platform's own (run in software where the processor
    /// lacks them).</summary>
    public static TheoryData<int, int, int, int, bool> ShapesInBothWidths()
    {
        var data = new TheoryData<int, int, int, int, bool>();
        foreach (var wide in new[] { true, false })
            // One whole tile; a partial second tile, two sequences; heads 32 wide, three tiles, the last with two rows; one
            // position; five tiles; two whole tiles; two sequences of heads 32 wide.
            foreach (var (batch, length, heads, headSize) in new[] { (1, 64, 2, 64), (2, 100, 3, 64), (1, 130, 4, 32), (3, 1, 2, 32), (1, 300, 2, 64), (1, 128, 2, 64), (2, 200, 4, 32) })
                data.Add(batch, length, heads, headSize, wide);
        return data;
    }

    /// <summary>Runs <paramref name="test"/> with the kernel's 512-bit vectors or with the platform's own, then puts back
    /// the processor's choice.</summary>
    private static void InWidth(bool wide, Action test)
    {
        CausalAttentionKernel.Wide = wide;
        try
        {
            test();
        }
        finally
        {
            CausalAttentionKernel.Wide = Vector512.IsHardwareAccelerated;
        }
    }

    [Theory]
    [MemberData(nameof(ShapesInBothWidths))]
    public void Output_and_gradients_match_libtorchs_attention(int batch, int length, int heads, int headSize, bool wide) =>
        InWidth(wide, () => OutputAndGradientsMatchLibtorch(batch, length, heads, headSize));

    private static void OutputAndGradientsMatchLibtorch(int batch, int length, int heads, int headSize)
    {
        var width = heads * headSize;
        using var generator = new Generator((ulong)(7 + length));
        using var source = randn([batch, length, 3 * width], generator: generator);
        using var upstream = randn([batch, length, width], generator: generator);

        using var expectedQkv = source.clone().requires_grad_();
        using var expected = Reference(expectedQkv, heads);
        expected.backward([upstream]);

        using var qkv = source.clone().requires_grad_();
        using var actual = FusedCausalAttention.Apply(qkv, heads);
        actual.backward([upstream]);

        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), $"output off by {(actual - expected).abs().max().item<float>()}");
        Assert.True(qkv.grad!.allclose(expectedQkv.grad!, rtol: 1e-4, atol: 1e-4),
            $"gradient off by {(qkv.grad! - expectedQkv.grad!).abs().max().item<float>()}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Large_scores_rising_along_the_sequence_match_too(bool wide) => InWidth(wide, LargeScoresMatch);

    private static void LargeScoresMatch()
    {
        // Scores in the hundreds that grow with the key's position: every later tile raises each row's maximum, so the
        // running sums are rescaled again and again, and most probabilities underflow.
        const int length = 200, width = 2 * 64;
        using var generator = new Generator(13);
        using var source = randn([1, length, 3 * width], generator: generator);
        using (no_grad())
        {
            source[.., .., ..width].add_(2);                                              // queries leaning one way
            using var trend = linspace(0, 6, length).view(1, length, 1);
            source[.., .., width..(2 * width)].add_(trend);                               // keys leaning further that way, later
        }
        using var upstream = randn([1, length, width], generator: generator);
        using var expectedQkv = source.clone().requires_grad_();
        using var expected = Reference(expectedQkv, 2);
        expected.backward([upstream]);
        using var qkv = source.clone().requires_grad_();
        using var actual = FusedCausalAttention.Apply(qkv, 2);
        actual.backward([upstream]);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-4), $"output off by {(actual - expected).abs().max().item<float>()}");
        Assert.True(qkv.grad!.allclose(expectedQkv.grad!, rtol: 1e-3, atol: 1e-3),
            $"gradient off by {(qkv.grad! - expectedQkv.grad!).abs().max().item<float>()}");
    }

    [Fact]
    public void Without_gradients_it_computes_the_same_output_and_records_nothing()
    {
        using var generator = new Generator(3);
        using var qkv = randn([2, 90, 3 * 128], generator: generator);
        using var _ = no_grad();
        using var expected = Reference(qkv, 2);
        using var actual = FusedCausalAttention.Apply(qkv, 2);
        Assert.False(actual.requires_grad);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5));
    }

    [Theory]
    [InlineData(ScalarType.Float32, true)]
    [InlineData(ScalarType.BFloat16, true)]
    [InlineData(ScalarType.Float32, false)]
    [InlineData(ScalarType.BFloat16, false)]
    public void Every_thread_count_gives_the_same_floats(ScalarType type, bool wide) => InWidth(wide, () => SameFloatsOnEveryThreadCount(type));

    private static void SameFloatsOnEveryThreadCount(ScalarType type)
    {
        const int heads = 3, width = heads * 64;
        using var generator = new Generator(5);
        using var qkv = randn([2, 150, 3 * width], generator: generator).to(type);
        using var gradOutput = randn([2, 150, width], generator: generator).to(type);
        float[]? first = null;
        // On libtorch's OpenMP team, and on the Engine's own helper threads (where that team is not found).
        foreach (var (threads, team) in new[] { (1, true), (2, true), (5, true), (2, false), (3, false) })
        {
            CausalAttentionKernel.OnOpenMpTeam = team;
            try
            {
                var (output, logSumExp) = FusedCausalAttention.Forward(qkv, heads, threads);
                using var gradQkv = FusedCausalAttention.Backward(qkv, output, logSumExp, gradOutput, heads, threads);
                using var outputValues = output.to(ScalarType.Float32);
                using var gradValues = gradQkv.to(ScalarType.Float32);
                var all = outputValues.data<float>().Concat(gradValues.data<float>()).ToArray();
                output.Dispose();
                logSumExp.Dispose();
                if (first is null) first = all;
                else Assert.Equal(first, all);
            }
            finally
            {
                CausalAttentionKernel.OnOpenMpTeam = true;
            }
        }
    }

    [Fact]
    public void A_later_token_changes_no_earlier_output()
    {
        using var generator = new Generator(9);
        using var a = randn([1, 80, 3 * 64], generator: generator);
        using var b = a.clone();
        using (no_grad()) b[0, 70].copy_(randn([3 * 64], generator: generator));
        using var _ = no_grad();
        using var ya = FusedCausalAttention.Apply(a, 1);
        using var yb = FusedCausalAttention.Apply(b, 1);
        Assert.True(ya[.., ..70].eq(yb[.., ..70]).all().item<bool>());
        Assert.False(ya[.., 70..].allclose(yb[.., 70..]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_model_trains_through_it_as_through_libtorchs_attention(bool wide) => InWidth(wide, ModelTrainsAsThroughLibtorch);

    private static void ModelTrainsAsThroughLibtorch()
    {
        var config = new GptConfig(VocabSize: 101, ContextLength: 256, Layers: 2, Heads: 4, Embedding: 128); // heads 32 wide
        using var idx = randint(0, config.VocabSize, [2, 200], generator: new Generator(4), dtype: ScalarType.Int64);
        var (fusedLoss, fusedGrads) = LossAndGradients(config, idx, fused: true);
        var (libtorchLoss, libtorchGrads) = LossAndGradients(config, idx, fused: false);
        Assert.Equal(libtorchLoss, fusedLoss, 4);
        Assert.Equal(libtorchGrads.Count, fusedGrads.Count);
        foreach (var (name, grad) in libtorchGrads)
            Assert.True(fusedGrads[name].allclose(grad, rtol: 1e-3, atol: 1e-5), $"{name} off by {(fusedGrads[name] - grad).abs().max().item<float>()}");
        foreach (var grad in fusedGrads.Values.Concat(libtorchGrads.Values)) grad.Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_model_trains_through_it_in_bfloat16_mixed_precision_as_through_libtorchs_bfloat16_attention(bool wide) =>
        InWidth(wide, ModelTrainsInBfloat16AsThroughLibtorch);

    private static void ModelTrainsInBfloat16AsThroughLibtorch()
    {
        // bfloat16's own rounding differs between the two (libtorch rounds inside its attention too), so the loss agrees
        // to bfloat16's precision and each gradient to a few per cent of its largest entry.
        var config = new GptConfig(VocabSize: 101, ContextLength: 256, Layers: 2, Heads: 2, Embedding: 128); // heads 64 wide
        using var idx = randint(0, config.VocabSize, [2, 160], generator: new Generator(5), dtype: ScalarType.Int64);
        var (fusedLoss, fusedGrads) = LossAndGradients(config, idx, fused: true, ScalarType.BFloat16);
        var (libtorchLoss, libtorchGrads) = LossAndGradients(config, idx, fused: false, ScalarType.BFloat16);
        var (float32Loss, float32Grads) = LossAndGradients(config, idx, fused: true);
        Assert.InRange(fusedLoss, libtorchLoss * 0.995, libtorchLoss * 1.005);
        Assert.InRange(fusedLoss, float32Loss * 0.995, float32Loss * 1.005);
        foreach (var (name, grad) in libtorchGrads)
        {
            var scale = grad.abs().max().item<float>();
            Assert.True(fusedGrads[name].allclose(grad, rtol: 0, atol: 0.05 * scale + 1e-6),
                $"{name} off by {(fusedGrads[name] - grad).abs().max().item<float>()} (largest {scale})");
        }
        foreach (var grad in fusedGrads.Values.Concat(libtorchGrads.Values).Concat(float32Grads.Values)) grad.Dispose();
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void Steps_inside_a_dispose_scope_leave_no_tensor_handles_behind(ScalarType type)
    {
        var config = new GptConfig(VocabSize: 101, ContextLength: 256, Layers: 2, Heads: 2, Embedding: 128); // heads 64 wide
        torch.manual_seed(6);
        using var model = new Gpt(config);
        using var precision = MixedPrecision.Use(model, type == ScalarType.Float32 ? null : type);
        using var idx = randint(0, config.VocabSize, [1, 130], generator: new Generator(8), dtype: ScalarType.Int64);
        FusedCausalAttention.EvenWithoutHardware = true;
        try
        {
            Step();                                               // the parameters' gradients exist from here on
            var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            for (var i = 0; i < 3; i++) Step();
            Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
        finally
        {
            FusedCausalAttention.EvenWithoutHardware = false;
        }

        void Step()
        {
            using var scope = NewDisposeScope();
            using var logits = model.forward(idx);
            Assert.True(FusedCausalAttention.Applies(zeros([1, idx.shape[1], 3 * config.Embedding], type).requires_grad_(), config.Heads));
            F.cross_entropy(logits.view(-1, config.VocabSize), idx.view(-1)).backward();
        }
    }

    private static (float Loss, Dictionary<string, Tensor> Grads) LossAndGradients(GptConfig config, Tensor idx, bool fused, ScalarType? matmulType = null)
    {
        var before = FusedCausalAttention.Enabled;
        FusedCausalAttention.Enabled = fused;
        FusedCausalAttention.EvenWithoutHardware = true;
        try
        {
            torch.manual_seed(12);
            using var model = new Gpt(config);
            using var precision = MixedPrecision.Use(model, matmulType);
            using (var rows = zeros([1, idx.shape[1], 3 * config.Embedding], matmulType ?? ScalarType.Float32).requires_grad_())
                Assert.Equal(fused, FusedCausalAttention.Applies(rows, config.Heads));
            using var scope = NewDisposeScope();
            var logits = model.forward(idx);
            var loss = F.cross_entropy(logits.view(-1, config.VocabSize), idx.view(-1));
            loss.backward();
            var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone().DetachFromDisposeScope());
            return (loss.item<float>(), grads);
        }
        finally
        {
            FusedCausalAttention.Enabled = before;
            FusedCausalAttention.EvenWithoutHardware = false;
        }
    }

    /// <summary>Whether the kernel has hardware vectors here: 512 bits, or the platform's own with a fused multiply-add.</summary>
    private static bool InHardware => Vector512.IsHardwareAccelerated || CausalAttentionKernel.NarrowInHardware;

    /// <summary>The model's attention through libtorch, from the same (B, T, 3C) rows.</summary>
    private static Tensor Reference(Tensor qkv, int heads)
    {
        var (b, t, c) = (qkv.shape[0], qkv.shape[1], qkv.shape[2] / 3);
        var parts = qkv.split(c, dim: 2);
        var q = parts[0].view(b, t, heads, c / heads).transpose(1, 2);
        var k = parts[1].view(b, t, heads, c / heads).transpose(1, 2);
        var v = parts[2].view(b, t, heads, c / heads).transpose(1, 2);
        return F.scaled_dot_product_attention(q, k, v, is_casual: true).transpose(1, 2).contiguous().view(b, t, c);
    }

    [Theory]
    [InlineData(1, 64, 2, 64, true)]
    [InlineData(2, 100, 3, 64, true)]
    [InlineData(1, 130, 4, 32, true)]
    [InlineData(1, 300, 2, 64, true)]
    [InlineData(1, 64, 2, 64, false)]
    [InlineData(2, 100, 3, 64, false)]
    [InlineData(1, 130, 4, 32, false)]
    [InlineData(1, 300, 2, 64, false)]
    public void Bfloat16_rows_give_the_float32_output_rounded_and_gradients_within_bfloat16_precision(int batch, int length, int heads, int headSize, bool wide) =>
        InWidth(wide, () => Bfloat16MatchesFloat32Rounded(batch, length, heads, headSize));

    private static void Bfloat16MatchesFloat32Rounded(int batch, int length, int heads, int headSize)
    {
        // The kernel reads bfloat16 rows as float32 and works in float32: its output is the float32 kernel's on the same
        // values, rounded to the nearest bfloat16, bit for bit. Backward reads the output as rounded, so its gradients
        // are the float32 ones to bfloat16's precision.
        var width = heads * headSize;
        using var generator = new Generator((ulong)(3 + length));
        using var source = randn([batch, length, 3 * width], generator: generator).to(ScalarType.BFloat16);
        using var upstream = randn([batch, length, width], generator: generator).to(ScalarType.BFloat16);
        using var wide = source.to(ScalarType.Float32).requires_grad_();
        using var expected = FusedCausalAttention.Apply(wide, heads);
        expected.backward([upstream.to(ScalarType.Float32)]);

        using var qkv = source.clone().requires_grad_();
        using var actual = FusedCausalAttention.Apply(qkv, heads);
        actual.backward([upstream]);

        Assert.Equal(ScalarType.BFloat16, actual.dtype);
        Assert.Equal(ScalarType.BFloat16, qkv.grad!.dtype);
        using var rounded = expected.to(ScalarType.BFloat16);
        Assert.True(actual.eq(rounded).all().item<bool>(), $"output off by {(actual.to(ScalarType.Float32) - expected).abs().max().item<float>()}");
        // Backward reads the output as rounded: given that output, the float32 kernel's gradient rounded is the bfloat16
        // kernel's, bit for bit.
        var (_, logSumExp) = FusedCausalAttention.Forward(wide.detach(), heads);
        using (logSumExp)
        using (var roundedOutput = rounded.to(ScalarType.Float32))
        using (var wideUpstream = upstream.to(ScalarType.Float32))
        using (var exact = FusedCausalAttention.Backward(wide.detach(), roundedOutput, logSumExp, wideUpstream, heads))
        using (var exactRounded = exact.to(ScalarType.BFloat16))
            Assert.True(qkv.grad!.eq(exactRounded).all().item<bool>(), $"gradient off by {(qkv.grad!.to(ScalarType.Float32) - exact).abs().max().item<float>()}");
        // And the float32 gradient from the float32 output, to bfloat16's precision.
        using var gradient = qkv.grad!.to(ScalarType.Float32);
        var scale = wide.grad!.abs().max().item<float>();
        Assert.True(gradient.allclose(wide.grad!, rtol: 2e-2, atol: 2e-2 * scale), $"gradient off by {(gradient - wide.grad!).abs().max().item<float>()} (largest {scale})");
        // And libtorch's bfloat16 attention, within bfloat16's precision.
        using var libtorch = Reference(source, heads);
        Assert.True(actual.to(ScalarType.Float32).allclose(libtorch.to(ScalarType.Float32), rtol: 2e-2, atol: 2e-2));
    }

    [Fact]
    public void Float32_rounds_to_the_nearest_bfloat16_ties_to_even_as_libtorch_rounds()
    {
        uint[] bits =
        [
            0x3F808000, 0x3F818000,                 // ties: to the even 0x3F80, up to the even 0x3F82
            0x3F807FFF, 0x3F808001,                 // just below and above a tie
            0x7F7FFFFF, 0xFF7FFFFF,                 // the largest float32s round to ±∞
            0x7F800000, 0xFF800000, 0x00000001, 0x80000000, // ±∞, the smallest subnormal, −0
            0x7FC00000, 0xFFC00000, 0x7FFFFFFF, 0xFFFFFFFF, 0xFFFF8001, 0x7F800001, // NaNs, payloads that would carry
        ];
        var values = bits.Select(BitConverter.UInt32BitsToSingle).ToArray();
        var wide = CausalAttentionKernel.ToBfloat16(System.Runtime.Intrinsics.Vector512.Create(values));
        // The platform's vectors, a vector's worth of the values at a time (the last one padded with zeros).
        var lanes = System.Numerics.Vector<float>.Count;
        var padded = values.Concat(new float[lanes]).ToArray();
        var narrow = Enumerable.Range(0, (values.Length + lanes - 1) / lanes)
            .SelectMany(v => { var r = CausalAttentionKernel.ToBfloat16(new System.Numerics.Vector<float>(padded, v * lanes)); return Enumerable.Range(0, lanes).Select(i => r[i]); })
            .ToArray();
        using var expected = tensor(values).to(ScalarType.BFloat16).to(ScalarType.Float32);
        var want = expected.data<float>().ToArray();
        for (var i = 0; i < values.Length; i++)
            foreach (var bf16 in new[] { (uint)wide[i], narrow[i], CausalAttentionKernel.ToBfloat16(values[i]) }) // and the scalar one
            {
                Assert.True(bf16 <= 0xFFFF, $"0x{bits[i]:X8} gave 0x{bf16:X}, wider than 16 bits");
                var got = BitConverter.Int32BitsToSingle((int)(bf16 << 16));
                if (float.IsNaN(values[i])) Assert.True(float.IsNaN(got), $"0x{bits[i]:X8} gave 0x{bf16:X4}");
                else Assert.Equal(BitConverter.SingleToUInt32Bits(want[i]), BitConverter.SingleToUInt32Bits(got));
            }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_first_positions_output_is_its_value_row_bit_for_bit_in_bfloat16_nan_included(bool wide) => InWidth(wide, FirstOutputIsItsValueRow);

    private static void FirstOutputIsItsValueRow()
    {
        // The first query sees the first key alone: its probability is 1 and its output the first value row, through the
        // float32 arithmetic and back.
        const int width = 64;
        using var rows = randn([1, 128, 3 * width], generator: new Generator(1)).to(ScalarType.BFloat16);
        using (no_grad()) rows[0, 0, 2 * width + 3] = float.NaN;
        using var _ = no_grad();
        using var output = FusedCausalAttention.Apply(rows, 1);
        using var firstValues = rows[0, 0, (2 * width)..(2 * width + 3)];
        Assert.True(output[0, 0, ..3].eq(firstValues).all().item<bool>());
        Assert.True(float.IsNaN(output[0, 0, 3].to(ScalarType.Float32).item<float>()));
    }

    [Fact]
    public void It_applies_to_float32_and_bfloat16_cpu_rows_of_32_or_64_wide_heads_where_the_cpu_has_vectors_for_it()
    {
        using var rows = zeros(1, 192, 3 * 128).requires_grad_();                             // as training makes them
        Assert.Equal(InHardware, FusedCausalAttention.Applies(rows, 2));   // 64 wide
        Assert.Equal(InHardware, FusedCausalAttention.Applies(rows, 4));   // 32 wide
        Assert.False(FusedCausalAttention.Applies(rows, 8));                                    // 16 wide
        using var bfloat16 = zeros([1, 192, 3 * 128], ScalarType.BFloat16).requires_grad_();
        Assert.Equal(InHardware, FusedCausalAttention.Applies(bfloat16, 2)); // mixed precision's rows
        using var float16 = zeros([1, 192, 3 * 128], ScalarType.Float16);
        Assert.False(FusedCausalAttention.Applies(float16, 2));
        using var wide = zeros(1, 192, 3 * 128, dtype: ScalarType.Float64);
        Assert.False(FusedCausalAttention.Applies(wide, 2));
        using var none = zeros(0, 192, 3 * 128);
        Assert.False(FusedCausalAttention.Applies(none, 2));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_pass_recording_no_gradients_takes_the_kernel_for_float32_with_512_bit_vectors_only(bool wide) => InWidth(wide, () =>
    {
        // With the narrower vectors, and on bfloat16 rows, the kernel's forward pass alone is no faster than libtorch's:
        // evaluation and inference keep libtorch's attention there; training takes the kernel in either width and type.
        foreach (var type in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            var forward = wide && type == ScalarType.Float32 && InHardware;
            using var evaluated = zeros([1, 192, 3 * 128], type);
            Assert.Equal(forward, FusedCausalAttention.Applies(evaluated, 2));
            using var learning = zeros([1, 192, 3 * 128], type).requires_grad_();
            Assert.Equal(InHardware, FusedCausalAttention.Applies(learning, 2));
            using (no_grad()) Assert.Equal(forward, FusedCausalAttention.Applies(learning, 2));
        }
    });

    [Fact]
    public void Short_sequences_stay_with_libtorch_where_it_is_as_fast()
    {
        using var wideHeads = zeros(2, 127, 3 * 128);                                            // 64 wide: from 128 positions
        Assert.False(FusedCausalAttention.Applies(wideHeads, 2));
        using var wideHeadsLonger = zeros(2, 128, 3 * 128).requires_grad_();
        Assert.Equal(InHardware, FusedCausalAttention.Applies(wideHeadsLonger, 2));
        using var narrowHeads = zeros(2, 191, 3 * 128);                                          // 32 wide: from 192
        Assert.False(FusedCausalAttention.Applies(narrowHeads, 4));
        using var narrowHeadsLonger = zeros(2, 192, 3 * 128).requires_grad_();
        Assert.Equal(InHardware, FusedCausalAttention.Applies(narrowHeadsLonger, 4));
    }

    [Fact]
    public void The_kernels_exponential_is_within_a_few_units_in_the_last_place_of_the_libraries()
    {
        var worst = 0.0;
        for (var x = -87f; x <= 88f; x += 0.0137f)
        {
            var actual = CausalAttentionKernel.Exp(System.Runtime.Intrinsics.Vector512.Create(x))[0];
            var expected = Math.Exp(x);
            worst = Math.Max(worst, Math.Abs(actual - expected) / expected);
            // The platform's vectors take the same steps: the same float.
            Assert.Equal(actual, CausalAttentionKernel.Exp(new System.Numerics.Vector<float>(x))[0]);
        }
        Assert.True(worst < 4e-7, $"largest relative error {worst:E2}");                      // float32's unit is 6·10⁻⁸ to 1.2·10⁻⁷
        Assert.Equal(1f, CausalAttentionKernel.Exp(System.Runtime.Intrinsics.Vector512<float>.Zero)[0]);
        Assert.Equal(1f, CausalAttentionKernel.Exp(System.Numerics.Vector<float>.Zero)[0]);
        var masked = CausalAttentionKernel.Exp(System.Runtime.Intrinsics.Vector512.Create(float.NegativeInfinity))[0];
        Assert.InRange(masked, 0f, 1e-37f);                                                   // e⁻⁸⁷: the callers zero masked entries
        Assert.InRange(CausalAttentionKernel.Exp(new System.Numerics.Vector<float>(float.NegativeInfinity))[0], 0f, 1e-37f);
    }
}
