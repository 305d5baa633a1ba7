using System.Diagnostics;
using Planner.Engine.Model;
using Planner.Engine.Native;
using Planner.Engine.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Planner.Engine.Bench;

/// <summary>Training tokens/s of a model shape and its model FLOP utilisation (MFU): achieved training FLOP/s divided by
/// the FLOP/s of a large matrix multiply measured in the same process, so the ratio holds on any machine.</summary>
public static class TrainingThroughput
{
    /// <summary>nanoGPT's estimate: 6 FLOPs per parameter per token (forward + backward) plus attention's 12·L·C·T;
    /// position embeddings are excluded (a lookup, not a matmul), the tied token embedding is the LM head's matmul.</summary>
    public static double FlopsPerToken(GptConfig c, long parameters) =>
        6.0 * (parameters - (long)c.ContextLength * c.Embedding) + 12.0 * c.Layers * c.Embedding * c.ContextLength;

    /// <summary>FLOP/s of an n×n matmul (2n³ per product) in <paramref name="type"/> (float32 unless given), best of a
    /// few repeats.</summary>
    public static double MatmulFlops(int n = 2048, int repeats = 5, ScalarType type = ScalarType.Float32)
    {
        using var a = randn(n, n, dtype: type);
        using var b = randn(n, n, dtype: type);
        using (var warm = a.mm(b)) { }
        return MatmulFlops(a, b, repeats);
    }

    /// <summary>FLOP/s of the square product a·b, best of <paramref name="repeats"/>.</summary>
    private static double MatmulFlops(Tensor a, Tensor b, int repeats)
    {
        var n = a.shape[0];
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using var c = a.mm(b);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best;
    }

    /// <summary>One training set-up to measure: as <c>planner train</c> and the web app run (heap kept, loss through
    /// <see cref="TiedHeadLoss"/>, MKL's vendor check interposed by <see cref="MklDispatch"/>), as the web app ran by
    /// default until 2026-12-05 (the heap left to glibc), or without some of that, for the comparison.</summary>
    public sealed record Setup(string Name, bool KeepHeap, bool SlicedHead, bool InterposeMkl);

    public static readonly Setup[] Setups =
    [
        new("glibc heap, full logits, MKL as shipped", KeepHeap: false, SlicedHead: false, InterposeMkl: false),
        new("kept heap, full logits, MKL as shipped", KeepHeap: true, SlicedHead: false, InterposeMkl: false),
        new("kept heap, sliced head, MKL as shipped", KeepHeap: true, SlicedHead: true, InterposeMkl: false),
        new("kept heap, sliced head, MKL interposed (as trained)", KeepHeap: true, SlicedHead: true, InterposeMkl: true),
        // The web app's default until 2026-12-05 (Planner:Engine:TrainingHeap=off since): the heap left to glibc.
        new("glibc heap, sliced head, MKL interposed (web app's default until 2026-12-05)", KeepHeap: false, SlicedHead: true, InterposeMkl: true),
    ];

    /// <summary>Mean tokens/s over <paramref name="steps"/> optimizer steps after one warm-up step, the page faults per
    /// timed step, the process's peak resident memory during the measurement (Linux; 0 elsewhere), and the median over
    /// the timed steps of each step's MFU against a 2048 matmul timed on the same thread just before it (paired: a
    /// neighbour's load on a shared machine slows both sides of each ratio alike). <paramref name="onStep"/> is told each
    /// timed step's seconds, the multiply's FLOP/s just before it and the step's page faults.</summary>
    public static (double TokensPerSecond, long Parameters, double FaultsPerStep, long PeakBytes, double PairedMfu) Measure(GptConfig config, int batch, int steps, Setup setup,
        Action<int, double, double, long>? onStep = null)
    {
        ResetPeakResident();
        EngineNative.PrepareTrainingThread();
        using var heap = setup.KeepHeap ? NativeHeap.KeepForTraining() : null;
        using var model = new Gpt(config, seed: 1);
        using var optimizer = new AdamWOptimizer(model.named_parameters());
        using var headLoss = new TiedHeadLoss();
        model.train();
        var generator = new Random(1);
        double seconds = 0;
        long faults = 0;
        var flopsPerStep = FlopsPerToken(config, model.ParameterCount()) * batch * config.ContextLength;
        var paired = new List<double>();
        using var left = randn(2048, 2048);
        using var right = randn(2048, 2048);
        for (var step = 0; step <= steps; step++)
        {
            var adjacent = MatmulFlops(left, right, repeats: 2);                       // made once: no heap churn between steps
            using var scope = NewDisposeScope();
            var ids = Enumerable.Range(0, batch * (config.ContextLength + 1)).Select(_ => (long)generator.Next(config.VocabSize)).ToArray();
            var data = tensor(ids, [batch, config.ContextLength + 1]);
            var faultsBefore = MinorFaults();
            var clock = Stopwatch.StartNew();
            optimizer.ZeroGrad();
            if (setup.SlicedHead)
                headLoss.ForwardBackward(model, data[.., ..^1], data[.., 1..]);    // as the trainer computes it
            else
                F.cross_entropy(model.forward(data[.., ..^1]).view(-1, config.VocabSize), data[.., 1..].reshape(-1)).backward();
            optimizer.Step(1e-4, AdamWOptimizer.ClipScale(optimizer.GradientNorm(), 1.0)); // clipped as the trainer does (since 2026-12-05)
            if (step > 0)                                                              // step 0 warms up allocators and kernels
            {
                seconds += clock.Elapsed.TotalSeconds;
                var stepFaults = MinorFaults() - faultsBefore;
                faults += stepFaults;
                paired.Add(flopsPerStep / clock.Elapsed.TotalSeconds / adjacent);
                onStep?.Invoke(step, clock.Elapsed.TotalSeconds, adjacent, stepFaults);
            }
        }
        paired.Sort();
        var median = paired.Count % 2 == 1 ? paired[paired.Count / 2] : (paired[paired.Count / 2 - 1] + paired[paired.Count / 2]) / 2;
        return (steps * (double)batch * config.ContextLength / seconds, model.ParameterCount(), faults / (double)steps, PeakResident(), median);
    }

    /// <summary>Starts a new peak of resident memory (Linux: "5" to /proc/self/clear_refs resets VmHWM).</summary>
    private static void ResetPeakResident()
    {
        if (File.Exists("/proc/self/clear_refs")) File.WriteAllText("/proc/self/clear_refs", "5");
    }

    /// <summary>Peak resident memory since the last reset, in bytes (VmHWM of /proc/self/status); 0 elsewhere.</summary>
    private static long PeakResident()
    {
        if (!File.Exists("/proc/self/status")) return 0;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>This process's minor page faults so far (Linux /proc/self/stat, field 10); 0 elsewhere.</summary>
    internal static long MinorFaults()
    {
        if (!File.Exists("/proc/self/stat")) return 0;
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (name) ": field 3 onwards
        return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
    }
}
