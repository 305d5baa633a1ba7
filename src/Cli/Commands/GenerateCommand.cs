using System.CommandLine;
using LLama.Native;
using Planner.Engine.Generation;
using Planner.Engine.Tokenization;
using Planner.Engine.Training;
using TorchSharp;

namespace Planner.Cli.Commands;

/// <summary><c>planner generate</c>: continues a prompt with a checkpoint (TorchSharp, KV cache) or a GGUF (llama.cpp).</summary>
public static class GenerateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A language-model checkpoint folder, or its training run's folder." };
        var gguf = new Option<string?>("--model") { Description = "A GGUF model file (run with llama.cpp)." };
        var prompt = ModelCommandOptions.Required("--prompt", "Text to continue.");
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most new tokens (never past the model's context).", DefaultValueFactory = _ => 64 };
        var seed = ModelCommandOptions.Int("--seed", "Sampling seed (default: random).");
        var temperature = ModelCommandOptions.Double("--temperature", "0 = greedy (default 0.8).");
        var topK = new Option<int>("--top-k") { Description = "Sample among the k likeliest tokens (0 = all).", DefaultValueFactory = _ => 40 };
        var topP = ModelCommandOptions.Double("--top-p", "Nucleus sampling mass (1 = off; default 0.95).");
        var device = ModelCommandOptions.Device();
        device.Description = "auto (a GPU when one is usable: TorchSharp's CUDA backend for --checkpoint, a llama.cpp build that can offload for --model; else CPU), cpu or cuda.";
        var command = new Command("generate", "Generate text from a prompt.") { checkpoint, gguf, prompt, maxTokens, seed, temperature, topK, topP, device };
        command.SetAction((parsed, ct) => ModelCommandOptions.Run(stderr, parsed, trainingProcess: false, async _ =>
        {
            var (checkpointPath, modelPath) = (parsed.GetValue(checkpoint), parsed.GetValue(gguf));
            if ((checkpointPath is null) == (modelPath is null))
                throw new ArgumentException("give exactly one of --checkpoint <dir> or --model <file.gguf>.");
            if (parsed.GetValue(maxTokens) <= 0) throw new ArgumentException("--max-tokens must be positive.");
            var options = new GenerationOptions
            {
                MaxTokens = parsed.GetValue(maxTokens),
                Seed = parsed.GetValue(seed),
                Temperature = parsed.GetValue(temperature) ?? 0.8,
                TopK = parsed.GetValue(topK),
                TopP = parsed.GetValue(topP) ?? 0.95,
            };
            var text = parsed.GetValue(prompt)!;
            if (checkpointPath is not null)
            {
                var (model, _) = CheckpointModels.LoadLanguageModel(await ModelCommandOptions.CheckpointAsync(stderr, checkpointPath));
                using (model)
                {
                    model.to(ComputeDevice.Resolve(parsed.GetValue(device)!));
                    await stdout.WriteAsync(text);
                    var produced = new List<int>();
                    var written = "";
                    foreach (var token in TextGenerator.GenerateTokens(model, Gpt2Tokenizer.Instance.Encode(text), options, ct))
                    {
                        produced.Add(token);
                        var decoded = Gpt2Tokenizer.Instance.Decode(produced);             // decode whole: tokens can split UTF-8 characters
                        if (!decoded.EndsWith('\uFFFD')) { await stdout.WriteAsync(decoded[written.Length..]); written = decoded; }
                    }
                    await stdout.WriteLineAsync();
                }
                return ExitCodes.Ok;
            }
            await GenerateWithLlamaCpp(modelPath!, text, options, parsed.GetValue(device)!, stdout, stderr, ct);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>llama.cpp logs verbosely to stderr; keep only its errors. Uses the custom native library
    /// (<c>Planner__Llm__NativeLibrary</c>) when one is configured, like the web app.</summary>
    private static void ConfigureLlamaCpp(TextWriter stderr) =>
        Planner.Llm.LlamaNativeLibrary.Configure(Environment.GetEnvironmentVariable("Planner__Llm__NativeLibrary"),
            (level, message) => { if (level == LLamaLogLevel.Error) stderr.Write("[llama.cpp] " + message); });

    /// <summary>Layers of a GGUF to offload for <c>--device</c>: none on the CPU; all of them on a GPU, which the
    /// llama.cpp build in use must support (the bundled one does not; a CUDA build set as the custom library does).</summary>
    private static int GpuLayers(string device, TextWriter stderr)
    {
        var build = Planner.Llm.LlamaNativeLibrary.Build;
        if (build.Custom) stderr.WriteLine($"llama.cpp: {build}");
        return device.ToLowerInvariant() switch
        {
            "cpu" => 0,
            "auto" => build.GpuOffload ? AllLayers : 0,
            "cuda" => build.GpuOffload ? AllLayers : throw new ArgumentException(
                $"--device cuda: the llama.cpp in use ({(build.Custom ? build.LibraryFile ?? Planner.Llm.LlamaNativeLibrary.CustomPath : "the bundled CPU build")}) cannot offload to a GPU. " +
                "Set Planner__Llm__NativeLibrary to the full path of a CUDA build of libllama, or use --device cpu."),
            _ => throw new ArgumentException($"Unknown device '{device}'; use auto, cpu or cuda."),
        };
    }

    /// <summary>More layers than any GGUF here has: llama.cpp offloads every layer (and the output) then.</summary>
    private const int AllLayers = 1000;

    /// <summary>The GGUF through the same runtime as the web app (<see cref="Planner.Llm.LocalLanguageModel"/>): its header checked in
    /// managed code first (llama.cpp's loader can abort the process on malformed input) and every generation budgeted so
    /// it never decodes past the model's context.</summary>
    private static async Task GenerateWithLlamaCpp(string path, string prompt, GenerationOptions options, string device, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ConfigureLlamaCpp(stderr);
        using var model = Planner.Llm.LocalLanguageModel.Load(path, Planner.Llm.ModelSettings.Default with { GpuLayers = GpuLayers(device, stderr) });
        var promptTokens = model.CountTokens(prompt);
        if (promptTokens >= model.ContextSize - 1) throw new ArgumentException($"the prompt is {promptTokens} tokens; the model's context is {model.ContextSize}.");
        await stdout.WriteAsync(prompt);
        var sampling = new Planner.Llm.GenerationOptions
        {
            MaxTokens = options.MaxTokens,
            Temperature = options.Temperature,
            Seed = options.Seed,
            TopK = options.TopK,
            TopP = options.TopP,
        };
        await foreach (var piece in model.GenerateAsync(prompt, sampling, ct)) await stdout.WriteAsync(piece);
        await stdout.WriteLineAsync();
    }
}
