using System.Globalization;
using Planner.Engine.Bench;
using Planner.Engine.Model;
using Planner.Engine.Training;

// dotnet run -c Release --project bench/Engine.Bench -- [presets, default "tiny,gpt2"] [steps, default 3] [batch, default 1]
var presets = (args.Length > 0 ? args[0] : "tiny,gpt2").Split(',');
var steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;

ComputeDevice.UseAllCores();
Console.WriteLine($"threads: {TorchSharp.torch.get_num_threads()}, batch {batch}, {steps} timed steps after one warm-up");
var peak = TrainingThroughput.MatmulFlops();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"2048×2048 float32 matmul: {peak / 1e9:F1} GFLOP/s (the MFU reference)"));
// Whether bfloat16 (autocast's CPU type) could lift training past the float32 peak: only if its matmul is faster.
var bf16 = TrainingThroughput.MatmulFlops(type: TorchSharp.torch.ScalarType.BFloat16);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"2048×2048 bfloat16 matmul: {bf16 / 1e9:F1} GFLOP/s ({bf16 / peak:F2}× float32)"));
foreach (var name in presets)
{
    var config = GptConfig.Preset(name);
    // glibc's default heap first, then the heap kept as the trainers keep it (NativeHeap), side by side.
    foreach (var keep in new[] { false, true })
    {
        // On a thread of its own, as the app and the command line train (not the process's first thread, whose malloc
        // arena is the only one that can grow past 64 MB without mapping).
        (double, long, double) measured = default;
        var worker = new Thread(() => measured = TrainingThroughput.Measure(config, batch, steps, keep));
        worker.Start();
        worker.Join();
        var (tokensPerSecond, parameters, faults) = measured;
        var flops = tokensPerSecond * TrainingThroughput.FlopsPerToken(config, parameters);
        // A shared machine's matmul speed drifts; the best seen so far is the conservative reference.
        peak = Math.Max(peak, TrainingThroughput.MatmulFlops());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-5} {parameters / 1e6,6:F1}M params, context {config.ContextLength}, {(keep ? "kept heap " : "glibc heap")}: {tokensPerSecond,7:F0} training tok/s, {flops / 1e9,6:F1} GFLOP/s, MFU {flops / peak:P1} of {peak / 1e9:F1} GFLOP/s, {faults,9:N0} page faults/step"));
    }
}

// Generation: TorchSharp (KV cache) vs llama.cpp on the same weights, and the memory-bandwidth roofline.
if (!args.Contains("--no-generation"))
{
    GenerationThroughput.RouteNativeLogs();
    var bandwidth = GenerationThroughput.CopyBandwidth();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory copy bandwidth: {bandwidth / 1e9:F1} GB/s (read + write); decode {GenerationThroughput.Tokens} tokens after a warm-up"));
    foreach (var name in presets)
    {
        var config = GptConfig.Preset(name);
        using var model = new Gpt(config, seed: 1);
        var parameters = model.ParameterCount();
        Console.WriteLine($"{name} ({parameters / 1e6:F1}M params):");
        Console.WriteLine(GenerationThroughput.Describe("TorchSharp f32 + KV", GenerationThroughput.TorchSharpTokensPerSecond(model), parameters * 4.0, bandwidth));
        foreach (var (type, bytesPerWeight) in new[] { (Planner.Engine.Export.GgufDataType.F16, 2.0), (Planner.Engine.Export.GgufDataType.Q8_0, 34.0 / 32) })
        {
            var path = GenerationThroughput.Export(model, type);
            try
            {
                Console.WriteLine(GenerationThroughput.Describe($"llama.cpp {type}", GenerationThroughput.LlamaTokensPerSecond(path, config.ContextLength), parameters * bytesPerWeight, bandwidth));
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak memory (working set): {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024 * 1024):F2} GiB"));
