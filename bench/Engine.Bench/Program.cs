using System.Globalization;
using Planner.Engine.Bench;
using Planner.Engine.Model;
using Planner.Engine.Native;

// dotnet run -c Release --project bench/Engine.Bench -- [presets, default "tiny,gpt2"] [steps, default 3] [batch, default 1]
//     [--no-generation | --generation-only] [--bf16 [steps, default 20]] [--bf16-rounds N]
// --bf16 (the default on a CPU with AVX-512 BF16 or AMX, unless --generation-only) adds, per preset, float32 against bfloat16 mixed-precision
// training on the sample documents (data/sample/docs from the current folder): tokens/s and the held-out loss of both,
// each training in a process of its own, --bf16-rounds N rounds (default 3) in alternating order.
// --phases PRESET BATCH [repeats]: where a training step's time goes, float32 and bfloat16 side by side (StepPhases).
// --attention PRESET|WIDTHxHEADSxLENGTH BATCH [--bf16]: causal attention alone, the Engine's fused kernel against libtorch's (AttentionKernel), on float32 or bfloat16 rows.
// --one-setup PRESET SETUP STEPS BATCH [--libtorch-attention] [--libtorch-products] [--libtorch-gelu]: one training set-up in this process (what the run above starts).
// --precision-one PRESET Fp32|Bf16 BATCH STEPS [--libtorch-attention] [--libtorch-products] [--libtorch-gelu]: one precision's training in this process (what --bf16 starts).
// --after-runs PRESET STEPS BATCH GGUF_PRESET [rounds]: what a training run leaves behind for the work after it, with the
// training heap kept during the run, left to glibc, or no run at all, each in a process of its own (AfterRun).
// As the app and `planner train` start: glibc asking for huge pages (HugePages); Planner__Engine__HugePages=off to compare.
// Every process this one starts inherits the setting.
_ = HugePages.StartAskingForThem();
if (args is ["--one-setup", var onePreset, var oneSetup, var oneSteps, var oneBatch, .. var oneRest])
{
    // "--libtorch-attention": libtorch's attention instead of the Engine's fused kernel (FusedCausalAttention), to compare;
    // "--libtorch-products": bfloat16's products through libtorch alone, without MKL's into float32 (MklBf16Product);
    // "--libtorch-gelu": libtorch's GELU instead of the Engine's one-pass GELU (FusedGelu).
    FusedCausalAttention.Enabled = !oneRest.Contains("--libtorch-attention");
    MklBf16Product.Enabled = !oneRest.Contains("--libtorch-products");
    FusedGelu.Enabled = !oneRest.Contains("--libtorch-gelu");
    // A child process measuring one training set-up (see below), so its page faults and peak memory are its own.
    var (config1, setup1) = (GptConfig.Preset(onePreset), TrainingThroughput.Setups[int.Parse(oneSetup, CultureInfo.InvariantCulture)]);
    EngineNative.Apply(new EngineNativeOptions { InterposeMklVendorCheck = setup1.InterposeMkl });
    var reference = TrainingThroughput.MatmulFlops();
    (double, long, double, long, double) result = default;
    // On a thread of its own, as the app and the command line train (not the process's first thread, whose malloc
    // arena is the only one that can grow past 64 MB without mapping).
    // Each timed step on standard error (the parent reads the last line of standard output).
    var worker = new Thread(() => result = TrainingThroughput.Measure(config1, int.Parse(oneBatch, CultureInfo.InvariantCulture), int.Parse(oneSteps, CultureInfo.InvariantCulture), setup1,
        (step, seconds, multiply, faults) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {step}: {seconds:F3} s, multiply before it {multiply / 1e9:F1} GFLOP/s, {faults} page faults"))));
    worker.Start();
    worker.Join();
    reference = Math.Max(reference, TrainingThroughput.MatmulFlops());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Item1} {result.Item2} {result.Item3} {result.Item4} {reference} {result.Item5}"));
    return;
}
if (args is ["--precision-one", var precisionPreset, var precisionName, var precisionBatch, var precisionSteps, .. var precisionRest])
{
    // A child process training one precision (PrecisionComparison), set up as planner train is; with
    // "--libtorch-attention", libtorch's attention instead of the Engine's fused kernel, and "--libtorch-products",
    // bfloat16's products through libtorch alone, and "--libtorch-gelu", libtorch's GELU, to compare by hand.
    FusedCausalAttention.Enabled = !precisionRest.Contains("--libtorch-attention");
    MklBf16Product.Enabled = !precisionRest.Contains("--libtorch-products");
    FusedGelu.Enabled = !precisionRest.Contains("--libtorch-gelu");
    ApplyAsHost();
    var precisionConfig = GptConfig.Preset(precisionPreset);
    Console.WriteLine(PrecisionComparison.MeasureOne(precisionConfig, PrecisionComparison.SampleCorpus(precisionConfig, Path.Combine("data", "sample", "docs")),
        int.Parse(precisionBatch, CultureInfo.InvariantCulture), int.Parse(precisionSteps, CultureInfo.InvariantCulture),
        Enum.Parse<Planner.Engine.Training.TrainingPrecision>(precisionName)));
    return;
}
if (args is ["--after-run", var afterMode, var afterPreset, var afterSteps, var afterBatch, var afterGguf])
{
    // A child process: a training run with the heap kept or not (or none), then the work a web app does after it (AfterRun).
    GenerationThroughput.RouteNativeLogs();
    Console.WriteLine(AfterRun.MeasureOne(afterMode, afterPreset, int.Parse(afterSteps, CultureInfo.InvariantCulture), int.Parse(afterBatch, CultureInfo.InvariantCulture), afterGguf));
    return;
}
if (args is ["--after-runs", var runsPreset, var runsSteps, var runsBatch, var runsGgufPreset, .. var runsRest])
{
    // What a training run leaves behind for a web app's later work, by the training heap's setting (AfterRun).
    Console.WriteLine(CpuFeatures.Current.Describe());
    AfterRun.Compare(runsPreset, int.Parse(runsSteps, CultureInfo.InvariantCulture), int.Parse(runsBatch, CultureInfo.InvariantCulture), runsGgufPreset,
        runsRest.Length > 0 ? int.Parse(runsRest[0], CultureInfo.InvariantCulture) : 3);
    return;
}
if (args is ["--decode-one", var decodePath, var decodeContext, .. var decodeSetup])
{
    // A child process measuring one decode set-up (see GenerationThroughput.LlamaTokensPerSecondApart).
    GenerationThroughput.RouteNativeLogs();
    var tokensPerSecond = GenerationThroughput.LlamaTokensPerSecond(decodePath, int.Parse(decodeContext, CultureInfo.InvariantCulture), GenerationThroughput.LlamaSetup.Parse(decodeSetup));
    Console.WriteLine(tokensPerSecond.ToString("R", CultureInfo.InvariantCulture));
    return;
}
if (args is ["--attention", var attentionPreset, var attentionBatch, .. var attentionRest])
{
    // The fused attention kernel alone against libtorch's, forward and backward, on one thread and on libtorch's count.
    ApplyAsHost();
    Console.WriteLine(CpuFeatures.Current.Describe());
    string? attention = null;
    // A preset, or WIDTHxHEADSxLENGTH for another shape (the classifier's default: 128x4x256).
    var attentionConfig = attentionPreset.Split('x') is [var w, var h, var l]
        ? GptConfig.Tiny with { Embedding = int.Parse(w, CultureInfo.InvariantCulture), Heads = int.Parse(h, CultureInfo.InvariantCulture), ContextLength = int.Parse(l, CultureInfo.InvariantCulture) }
        : GptConfig.Preset(attentionPreset);
    var attentionType = attentionRest.Contains("--bf16") ? TorchSharp.torch.ScalarType.BFloat16 : TorchSharp.torch.ScalarType.Float32;
    var attentionThread = new Thread(() => attention = AttentionKernel.Measure(attentionConfig, int.Parse(attentionBatch, CultureInfo.InvariantCulture), attentionType));
    attentionThread.Start();
    attentionThread.Join();
    Console.Write(attention);
    return;
}

if (args is ["--phases", var phasesPreset, var phasesBatch, .. var phasesRest])
{
    // Where a training step's time goes, float32 and bfloat16 mixed precision side by side (StepPhases).
    Console.WriteLine(ApplyAsHost().HugePages.Description);
    Console.WriteLine(CpuFeatures.Current.Describe());
    var repeats = phasesRest.Length > 0 ? int.Parse(phasesRest[0], CultureInfo.InvariantCulture) : 3;
    string? report = null;
    var phaseThread = new Thread(() => report = StepPhases.Measure(GptConfig.Preset(phasesPreset), int.Parse(phasesBatch, CultureInfo.InvariantCulture), repeats));
    phaseThread.Start();
    phaseThread.Join();
    Console.Write(report);
    return;
}
var bf16At = Array.IndexOf(args, "--bf16");
var bf16Steps = bf16At < 0 ? CpuFeatures.Current.HasBfloat16 && !args.Contains("--generation-only") ? 20 : 0
    : bf16At + 1 < args.Length && int.TryParse(args[bf16At + 1], CultureInfo.InvariantCulture, out var givenSteps) ? givenSteps : 20;
var roundsAt = Array.IndexOf(args, "--bf16-rounds");
var bf16Rounds = roundsAt < 0 ? 3
    : roundsAt + 1 < args.Length && int.TryParse(args[roundsAt + 1], CultureInfo.InvariantCulture, out var givenRounds) && givenRounds > 0 ? givenRounds
    : throw new ArgumentException("--bf16-rounds takes a number of rounds, 1 or more.");
// An option this mode does not know (a misspelling, or a probe's option given to a build without it) stops here, before
// minutes of measuring the default set-ups.
string[] options = ["--no-generation", "--generation-only", "--bf16", "--bf16-rounds"];
if (args.FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal) && !options.Contains(a)) is { } unknown)
{
    Console.Error.WriteLine($"Unknown option '{unknown}': the options are listed at the top of bench/Engine.Bench/Program.cs.");
    Environment.ExitCode = 2;
    return;
}
var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && !(bf16At >= 0 && i == bf16At + 1) && !(roundsAt >= 0 && i == roundsAt + 1)).ToArray();
var presets = (positional.Length > 0 ? positional[0] : "tiny,gpt2").Split(',');
var steps = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 3;
var batch = positional.Length > 2 ? int.Parse(positional[2], CultureInfo.InvariantCulture) : 1;

var native = ApplyAsHost();
Console.WriteLine(CpuFeatures.Current.Describe());
Console.WriteLine($"threads: {TorchSharp.torch.get_num_threads()}, batch {batch}, {steps} timed steps after one warm-up");
Console.WriteLine($"MKL: {native.Mkl.Description}");
Console.WriteLine(native.HugePages.Description);
var peak = TrainingThroughput.MatmulFlops();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"2048×2048 float32 matmul: {peak / 1e9:F1} GFLOP/s (measured again around each training set-up)"));
// Whether bfloat16 (autocast's CPU type) could lift training past the float32 peak: only if its matmul is faster.
// 1024×1024 against the same size in float32, two repeats: a processor without bfloat16 instructions runs it so slowly
// that a 2048 matmul would dominate the whole run.
var (bf16, fp32Small) = (TrainingThroughput.MatmulFlops(1024, 2, TorchSharp.torch.ScalarType.BFloat16), TrainingThroughput.MatmulFlops(1024, 2));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"1024×1024 bfloat16 matmul: {bf16 / 1e9:F1} GFLOP/s ({bf16 / fp32Small:F2}× float32 at that size)"));
var generationOnly = args.Contains("--generation-only");
var rows = new List<(string Preset, GptConfig Config, TrainingThroughput.Setup Setup, double TokensPerSecond, long Parameters, double Faults, double PeakBytes, double PairedMfu)>();
foreach (var name in generationOnly ? [] : presets)
{
    var config = GptConfig.Preset(name);
    // glibc's default heap, then the heap kept (NativeHeap), then also the loss through the tied head a slice at a time
    // (TiedHeadLoss), then also MKL's vendor check interposed (MklDispatch), as planner train runs, and last that without
    // the kept heap, as the web app ran by default until 2026-12-05: one after the other, each in a fresh process (MKL's kernels are
    // chosen once per process) that measures its page faults and peak resident memory, and the matmul reference
    // before and after.
    for (var index = 0; index < TrainingThroughput.Setups.Length; index++)
    {
        var setup = TrainingThroughput.Setups[index];
        var printed = ChildProcess.LastLine(["--one-setup", name, index.ToString(CultureInfo.InvariantCulture), steps.ToString(CultureInfo.InvariantCulture), batch.ToString(CultureInfo.InvariantCulture)],
            $"measuring {name} ({setup.Name})");
        var output = printed.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        rows.Add((name, config, setup, output[0], (long)output[1], output[2], output[3], output[5]));
        peak = Math.Max(peak, output[4]);
    }
}
// MFU against the fastest matmul seen anywhere in this run: a shared machine's speed drifts, and the best reference
// is the conservative one. "Paired" is the median of each step's MFU against a matmul timed just before that step.
if (rows.Count > 0) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MFU reference: the fastest 2048×2048 float32 matmul in this run, {peak / 1e9:F1} GFLOP/s"));
foreach (var row in rows)
{
    var flops = row.TokensPerSecond * TrainingThroughput.FlopsPerToken(row.Config, row.Parameters);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{row.Preset,-5} {row.Parameters / 1e6,6:F1}M params, context {row.Config.ContextLength}, {row.Setup.Name,-51}: {row.TokensPerSecond,7:F0} training tok/s, {flops / 1e9,6:F1} GFLOP/s, MFU {flops / peak:P1} (paired {row.PairedMfu:P1}), {row.Faults,9:N0} page faults/step, peak resident {row.PeakBytes / (1024.0 * 1024 * 1024):F2} GiB"));
}

if (bf16Steps > 0)
{
    foreach (var name in presets)
    {
        var config = GptConfig.Preset(name);
        Console.WriteLine(PrecisionComparison.Describe(name, config, batch, bf16Steps, PrecisionComparison.Measure(name, batch, bf16Steps, bf16Rounds)));
    }
}

// Generation: TorchSharp (KV cache) vs llama.cpp on the same weights, against the memory-bandwidth roofline: the
// fastest read of a buffer larger than the caches, by one thread or by all (decoding reads each weight once a token).
if (!args.Contains("--no-generation"))
{
    GenerationThroughput.RouteNativeLogs();
    var copy = GenerationThroughput.CopyBandwidth();
    var threadCounts = new[] { 1, Math.Max(1, Environment.ProcessorCount / 2), Environment.ProcessorCount }.Distinct().ToArray();
    var reads = threadCounts.Select(t => (Threads: t, Bytes: GenerationThroughput.ReadBandwidth(t))).ToList();
    var bandwidth = reads.Max(r => r.Bytes);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"memory bandwidth: copy {copy / 1e9:F1} GB/s (read + write, one thread); read {string.Join(", ", reads.Select(r => $"{r.Bytes / 1e9:F1} GB/s by {r.Threads} thread{(r.Threads == 1 ? "" : "s")}"))}; roofline from the fastest read"));
    Console.WriteLine($"llama.cpp: {GenerationThroughput.LlamaSystemInfo()}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"decode: {GenerationThroughput.Tokens} tokens at a time after a warm-up, repeated until at least {GenerationThroughput.MinimumSeconds} s are timed, each llama.cpp set-up in a process of its own, three rounds"));
    foreach (var name in presets)
    {
        var config = GptConfig.Preset(name);
        using var model = new Gpt(config, seed: 1);
        var parameters = model.ParameterCount();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} ({parameters / 1e6:F1}M params, {parameters * 2 / 1e6:F0} MB as F16; last-level cache {GenerationThroughput.LastLevelCache()}):"));
        // Three rounds, each way once per round: the steps after the prompt on the Engine's own decoder (as it
        // generates), through libtorch with the row products split on the Engine's helper threads, and through libtorch
        // with them split on the thread pool (as before either), side by side.
        var ways = new (string Name, bool Decoder, bool Helpers)[] { ("", true, true), (", libtorch steps", false, true), (", libtorch steps, pool split (before)", false, false) };
        var torchRuns = ways.SelectMany(w => new[] { (Way: w, Greedy: false), (Way: w, Greedy: true) }).ToDictionary(k => k, _ => new List<double>());
        for (var round = 0; round < 3; round++)
            foreach (var (run, runs) in torchRuns)
            {
                (Planner.Engine.Model.RowDecoder.Enabled, Planner.Engine.Model.RowWorkers.Enabled) = (run.Way.Decoder, run.Way.Helpers);
                runs.Add(GenerationThroughput.TorchSharpTokensPerSecond(model, greedy: run.Greedy));
            }
        (Planner.Engine.Model.RowDecoder.Enabled, Planner.Engine.Model.RowWorkers.Enabled) = (true, true);
        foreach (var (run, runs) in torchRuns.OrderBy(r => r.Key.Greedy))
            Console.WriteLine(GenerationThroughput.Describe($"TorchSharp f32 + KV, {(run.Greedy ? "greedy" : "sampled")}{run.Way.Name}", Rounds.Median(runs), parameters * 4.0, bandwidth)
                + string.Create(CultureInfo.InvariantCulture, $"  (median of {string.Join(", ", runs.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))})"));
        foreach (var (type, bytesPerWeight) in new[] { (Planner.Engine.Export.GgufDataType.F16, 2.0), (Planner.Engine.Export.GgufDataType.Q8_0, 34.0 / 32) })
        {
            var path = GenerationThroughput.Export(model, type);
            try
            {
                // Each measurement in a process of its own; three rounds, each setup once per round (in reverse order
                // every other round), so that a neighbour's load falls on all of them alike; the median.
                var all = Environment.ProcessorCount;
                var setups = new List<GenerationThroughput.LlamaSetup>
                {
                    new("app-auto", all, true, true),
                    new("app", all, true, true),
                    new("executor", all, false, true),
                    new("sampled", all, true, true),
                    new("alone", all, true, true),
                    new("alone", all, false, true),
                    new("alone", all, true, false),
                };
                if (all > 1) setups.Add(new("alone", 1, true, true));
                var measured = setups.ToDictionary(s => s, _ => new List<double>());
                for (var round = 0; round < 3; round++)
                    foreach (var setup in round % 2 == 0 ? setups : Enumerable.Reverse(setups)) // no set-up always first or last
                        measured[setup].Add(GenerationThroughput.LlamaTokensPerSecondApart(path, config.ContextLength, setup));
                var best = (Setup: (GenerationThroughput.LlamaSetup?)null, Decode: 0.0);
                foreach (var setup in setups)
                {
                    var decode = Rounds.Median(measured[setup]);
                    Console.WriteLine(GenerationThroughput.Describe($"llama.cpp {type}, {setup}", decode, parameters * bytesPerWeight, bandwidth) +
                                      string.Create(CultureInfo.InvariantCulture, $"  (median of {string.Join(", ", measured[setup].Select(m => m.ToString("F0", CultureInfo.InvariantCulture)))})"));
                    if (decode > best.Decode) best = (setup, decode);
                }
                Console.WriteLine(GenerationThroughput.Describe($"llama.cpp {type}, best: {best.Setup}", best.Decode, parameters * bytesPerWeight, bandwidth));
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak memory of this process (generation; training peaks are above): {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024 * 1024):F2} GiB"));

// Configured like a host (Planner__Engine__* in the environment; PLANNER_MKL_VENDOR_CHECK=keep still honoured).
static EngineNativeStatus ApplyAsHost() =>
    EngineNative.Apply(EngineNativeOptions.Read(key => Environment.GetEnvironmentVariable(key.Replace(":", "__", StringComparison.Ordinal)), keepTrainingHeapByDefault: true));
