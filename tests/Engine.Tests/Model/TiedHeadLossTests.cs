using Planner.Engine.Model;
using Planner.Engine.Tests.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Tests.Model;

public class TiedHeadLossTests
{
    private const long Slices = 200L * GptConfig.Gpt2VocabSize + 7;

    /// <summary>Two sequences of 256 positions: 512 rows, which <see cref="Slices"/> (at most 200 rows) splits into three
    /// slices of equal size but for one row: 171, 171 and 170 (the last one short).</summary>
    private static (Tensor X, Tensor Y) Batch(int seed, int sequences = 2)
    {
        var random = new Random(seed);
        var ids = Enumerable.Range(0, sequences * 257).Select(_ => (long)random.Next(GptConfig.Gpt2VocabSize)).ToArray();
        var data = tensor(ids, [sequences, 257]);
        return (data[.., ..^1], data[.., 1..]);
    }

    [Theory]
    [InlineData(Slices, TiedHeadLoss.DefaultCpuPieceBytes)]
    [InlineData(TiedHeadLoss.DefaultSliceElements, TiedHeadLoss.DefaultCpuPieceBytes)] // one slice, as the trainer runs this shape
    [InlineData(Slices, 1L)] // the batch in pieces of one sequence, each in slices
    [InlineData(Slices, 2 * 256 * 4 * 32 * 4L, 3)] // three sequences in pieces of two: a short last piece
    public void Loss_and_every_gradient_equal_autograd_cross_entropy_over_the_full_logits(long sliceElements, long cpuPieceBytes, int sequences = 2)
    {
        using var reference = new Gpt(TinyModels.Gpt2Vocabulary, seed: 4);
        using var sliced = new Gpt(TinyModels.Gpt2Vocabulary, seed: 4);
        using var loss = new TiedHeadLoss(sliceElements, cpuPieceBytes);
        double expected = 0, actual = 0;
        // Two micro-batches at half weight, as gradient accumulation runs them: gradients must add up, not be replaced.
        foreach (var seed in new[] { 1, 2 })
        {
            var (x, y) = Batch(seed, sequences);
            using var full = F.cross_entropy(reference.forward(x).reshape(-1, GptConfig.Gpt2VocabSize), y.reshape(-1)) / 2;
            full.backward();
            expected += full.item<float>();
            actual += loss.ForwardBackward(sliced, x, y, scale: 0.5) / 2;
        }

        Assert.Equal(expected, actual, 5);
        var theirs = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, ours) in sliced.named_parameters())
        {
            var (a, b) = (ours.grad!, theirs[name].grad!);
            Assert.True(a.allclose(b, rtol: 1e-4, atol: 1e-7), $"{name}: max diff {(a - b).abs().max().item<float>()} (largest {b.abs().max().item<float>()})");
        }
        Assert.True(sliced.TiedHeadWeight.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Without_gradients_it_only_measures()
    {
        using var model = new Gpt(TinyModels.Gpt2Vocabulary, seed: 4);
        using var loss = new TiedHeadLoss(Slices);
        var (x, y) = Batch(3);
        double measured;
        using (no_grad()) measured = loss.ForwardBackward(model, x, y);
        using var full = F.cross_entropy(model.forward(x).reshape(-1, GptConfig.Gpt2VocabSize), y.reshape(-1));
        Assert.Equal(full.item<float>(), measured, 5);
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
        Assert.InRange(measured, Math.Log(GptConfig.Gpt2VocabSize) - 0.5, Math.Log(GptConfig.Gpt2VocabSize) + 0.5); // random weights: about uniform
    }

    [Fact]
    public void One_logits_buffer_serves_every_call_of_the_same_or_a_smaller_batch()
    {
        using var model = new Gpt(TinyModels.Gpt2Vocabulary, seed: 4);
        using var loss = new TiedHeadLoss();
        var (x, y) = Batch(5);
        loss.ForwardBackward(model, x, y);
        loss.ForwardBackward(model, x, y);
        loss.Measure(model, x[..1], y[..1]); // a smaller batch reuses part of it
        Assert.Equal(1, loss.Allocations);
    }
}
