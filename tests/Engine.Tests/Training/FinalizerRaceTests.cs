using Planner.Engine.Model;
using Planner.Engine.Training;
using static TorchSharp.torch;

namespace Planner.Engine.Tests.Training;

[CollectionDefinition(nameof(FinalizerRaceTests), DisableParallelization = true)]
public sealed class FinalizerRaceCollection;

/// <summary>A TorchSharp scalar made for one call (an operator's alpha, a literal) is freed by its finalizer once
/// nothing references it, which can be while libtorch still reads it. The training and generation paths pass
/// scalars they keep alive (<c>KeptScalars</c>); this runs them while another thread collects and finalizes
/// without pause, which turned the race into a failure within 3 to 20 steps (1 to 6 s) while a path did not; 100 steps run several times that. Alone: the
/// collector thread takes a core for the whole test, and every other test's heap would lengthen each collection.</summary>
[Collection(nameof(FinalizerRaceTests))]
public class FinalizerRaceTests
{
    private static readonly GptConfig Small = new(VocabSize: 96, ContextLength: 256, Layers: 2, Heads: 2, Embedding: 32);

    [Fact]
    public async Task Training_steps_and_generation_survive_the_collector_finalizing_during_native_calls()
    {
        using var model = new Gpt(Small, seed: 3);
        using var classifier = new ClassificationHead(Small, classes: 3, seed: 5);
        using var loss = new TiedHeadLoss();
        using var optimizer = new AdamWOptimizer([.. model.named_parameters().Select(p => (p.name, p.parameter))], weightDecay: 0.1);
        var random = new Random(7);
        using var done = new CancellationTokenSource();
        var collecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A thread of its own (a busy thread pool can start a task only after the steps have ended), collecting from
        // before the first step.
        var collector = Task.Factory.StartNew(() =>
        {
            var rounds = 0;
            while (!done.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                rounds++;
                collecting.TrySetResult();
            }
            return rounds;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await collecting.Task;
        try
        {
            for (var step = 0; step < 100; step++)
            {
                using var scope = NewDisposeScope();
                var ids = tensor(Enumerable.Range(0, 4 * 33).Select(_ => (long)random.Next(Small.VocabSize)).ToArray(), [4, 33]);
                optimizer.ZeroGrad();
                double measured;
                using (MixedPrecision.Use(model, step % 2 == 0 ? null : ScalarType.BFloat16)) // both precisions' paths
                    measured = loss.ForwardBackward(model, ids[.., ..^1], ids[.., 1..], scale: 0.5);
                Assert.True(double.IsFinite(measured), $"step {step}: loss {measured}");
                optimizer.Step(1e-3);
                using (no_grad())
                {
                    Assert.Equal(new long[] { 4, 32, Small.Embedding }, model.HiddenStates(ids[.., ..^1], null).shape);
                    Assert.Equal(new long[] { 4, 3 }, classifier.forward(ids[.., ..^1], tensor(new long[] { 32, 17, 5, 1 })).shape);
                }
            }
        }
        finally
        {
            done.Cancel();
        }
        Assert.True(await collector > 0, "the collector never ran");
    }
}
