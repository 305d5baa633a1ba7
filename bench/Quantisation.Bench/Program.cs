using System.Diagnostics;
using System.Globalization;
using LLama;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;
using Planner.Engine.Data;
using Planner.Hosting.Training;
using Planner.Llm;

// dotnet run -c Release --project bench/Quantisation.Bench -- <checkpoint or run folder> [corpus, default data/sample/docs] [decode tokens, default 128]
// One model our Engine trained, exported as every GGUF weight type Planner offers, measured side by side in this
// process: file size, llama.cpp decode speed (as a ratio to F16, measured in turns so load on the machine hits every
// type alike) and perplexity on the held-out documents of the training split (same seed as planner train).
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Quantisation.Bench <checkpoint or run folder> [corpus folder] [decode tokens]");
    return 2;
}
var checkpoint = args[0];
var corpus = args.Length > 1 ? args[1] : Path.Combine("data", "sample", "docs");
var decodeTokens = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 128;
NativeLibraryConfig.All.WithLogCallback((level, message) => { if (level == LLamaLogLevel.Error) Console.Error.Write("[llama.cpp] " + message); });

var folder = Path.Combine(Path.GetTempPath(), "planner-quantisation-bench", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    ModelFileType[] types = [ModelFileType.F32, ModelFileType.F16, ModelFileType.Q8_0, ModelFileType.Q5_K_M, ModelFileType.Q4_K_M];
    var files = types.ToDictionary(t => t, t => Path.Combine(folder, $"model-{t}.gguf".ToLowerInvariant()));
    foreach (var type in types) ModelExport.Write(checkpoint, files[type], type);
    var context = GgufReader.Read(files[ModelFileType.F16]).ContextLength ?? throw new InvalidOperationException("The export states no context length.");
    var heldOut = TokenDataset.Build(TrainingCorpus.Load(corpus).Documents, context, TrainingDefaults.Seed).Validation;
    Console.WriteLine($"{checkpoint}: context {context}; held-out {heldOut.Length:N0} tokens of {corpus}; decode {decodeTokens} tokens × 3 turns; {Environment.ProcessorCount} threads");

    var perplexity = types.ToDictionary(t => t, t => Perplexity(files[t], context, heldOut));
    var speeds = types.ToDictionary(t => t, _ => new List<double>());
    var weights = types.ToDictionary(t => t, t => LLamaWeights.LoadFromFile(Parameters(files[t], context)));
    foreach (var type in types) Decode(weights[type], files[type], context, 8); // warm-up
    for (var turn = 0; turn < 3; turn++)
        foreach (var type in types) speeds[type].Add(Decode(weights[type], files[type], context, decodeTokens));
    foreach (var w in weights.Values) w.Dispose();

    var f16 = Median(speeds[ModelFileType.F16]);
    var f16Size = new FileInfo(files[ModelFileType.F16]).Length;
    Console.WriteLine();
    Console.WriteLine("| weights | file | size vs F16 | decode tokens/s (median of 3) | speed vs F16 | held-out perplexity |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
    foreach (var type in types)
    {
        var size = new FileInfo(files[type]).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {type} | {size / 1048576.0:F1} MB | {(double)size / f16Size:F2}× | {Median(speeds[type]):F0} | {Median(speeds[type]) / f16:F2}× | {perplexity[type]:F1} |"));
    }
    return 0;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static ModelParams Parameters(string path, int context) =>
    new(path) { ContextSize = (uint)context, BatchSize = (uint)context, GpuLayerCount = 0, Threads = Environment.ProcessorCount };

// exp(mean negative log-likelihood of each next token) over the held-out stream in windows of the context, each in a
// fresh context (never decoding past the trained positions: llama.cpp aborts the process there).
static double Perplexity(string path, int context, int[] tokens)
{
    var parameters = Parameters(path, context);
    using var weights = LLamaWeights.LoadFromFile(parameters);
    double total = 0;
    long count = 0;
    for (var start = 0; start + 1 < tokens.Length; start += context)
    {
        var window = tokens[start..Math.Min(tokens.Length, start + context + 1)];
        using var llama = weights.CreateContext(parameters);
        var batch = new LLamaBatch();
        for (var i = 0; i < window.Length - 1; i++) batch.Add((LLamaToken)window[i], i, LLamaSeqId.Zero, logits: true);
        if (llama.NativeHandle.Decode(batch) != DecodeResult.Ok) throw new InvalidOperationException($"llama_decode failed on {path}");
        for (var i = 0; i < window.Length - 1; i++)
        {
            var logits = llama.NativeHandle.GetLogitsIth(i);
            var max = double.NegativeInfinity;
            foreach (var l in logits) max = Math.Max(max, l);
            double sum = 0;
            foreach (var l in logits) sum += Math.Exp(l - max);
            total += max + Math.Log(sum) - logits[window[i + 1]];
            count++;
        }
    }
    return Math.Exp(total / count);
}

static double Decode(LLamaWeights weights, string path, int context, int tokens)
{
    var parameters = Parameters(path, context);
    var executor = new StatelessExecutor(weights, parameters);
    var inference = new InferenceParams { MaxTokens = Math.Min(tokens, context - 16), SamplingPipeline = new DefaultSamplingPipeline { Temperature = 0.8f, Seed = 1 } };
    var produced = 0;
    var clock = Stopwatch.StartNew();
    foreach (var _ in executor.InferAsync("The roadmap is", inference).ToBlockingEnumerable()) produced++;
    return produced / clock.Elapsed.TotalSeconds;
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
