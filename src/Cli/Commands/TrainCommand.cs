using System.CommandLine;
using System.Globalization;
using Planner.Engine.Data;
using Planner.Engine.Export;
using Planner.Engine.Model;
using Planner.Engine.Training;
using TorchSharp;

namespace Planner.Cli.Commands;

/// <summary><c>planner train</c>: trains (or fine-tunes) a GPT-2 language model on a folder of documents.</summary>
public static class TrainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var corpus = ModelCommandOptions.Required("--corpus", "A .txt/.md/.csv file or a folder of them.");
        var output = ModelCommandOptions.Required("--out", "Output folder: checkpoint/, best/ and metrics.jsonl.");
        var preset = ModelCommandOptions.Preset();
        var init = new Option<string?>("--init") { Description = "Start from weights: a checkpoint folder, our model.safetensors, or a Hugging Face GPT-2 model.safetensors." };
        var steps = ModelCommandOptions.Int("--steps", "Optimizer steps (default 200).");
        var batch = ModelCommandOptions.Int("--batch", "Sequences per micro-batch (default 4).");
        var accumulate = ModelCommandOptions.Int("--accumulate", "Micro-batches per optimizer step (default 1).");
        var context = ModelCommandOptions.Int("--context", "Context length, a multiple of 256 (default: the preset's).");
        var learningRate = ModelCommandOptions.Double("--lr", "Peak learning rate (default 6e-4).");
        var seed = ModelCommandOptions.Int("--seed", "Seed for initialisation, data split and batches (default 1337).");
        var evalInterval = ModelCommandOptions.Int("--eval-interval", "Evaluate and checkpoint every N steps (default 50).");
        var resume = new Option<bool>("--resume") { Description = "Continue from OUT/checkpoint with its saved settings (--steps may move the end, to train longer)." };
        var device = ModelCommandOptions.Device();
        var command = new Command("train", "Train a GPT-2 language model on your documents.")
        {
            corpus, preset, init, steps, batch, accumulate, context, learningRate, seed, evalInterval, resume, output, device,
        };
        command.SetAction((parsed, ct) => ModelCommandOptions.Run(stderr, async () =>
        {
            var outDir = parsed.GetValue(output)!;
            var checkpoint = Path.Combine(outDir, LanguageModelTrainer.LatestCheckpoint);
            var resuming = parsed.GetValue(resume);
            if (resuming && !CheckpointStore.Exists(checkpoint))
                throw new CheckpointException($"nothing to resume: {checkpoint} has no checkpoint.");

            GptConfig modelConfig;
            TrainingConfig trainingConfig;
            if (resuming)
            {
                var saved = CheckpointStore.ReadMetadata(checkpoint);
                modelConfig = saved.Model;
                trainingConfig = await ModelCommandOptions.ResumeAsync(stdout, parsed, saved, steps, preset, init, context, batch, learningRate, seed, evalInterval, accumulate);
            }
            else
            {
                var basis = GptConfig.Preset(parsed.GetValue(preset)!);
                modelConfig = (basis with { ContextLength = parsed.GetValue(context) ?? basis.ContextLength }).Validated();
                var defaults = new TrainingConfig();
                var interval = parsed.GetValue(evalInterval) ?? defaults.EvaluationInterval;
                var lr = parsed.GetValue(learningRate) ?? defaults.LearningRate;
                trainingConfig = (defaults with
                {
                    MaxSteps = parsed.GetValue(steps) ?? defaults.MaxSteps,
                    BatchSize = parsed.GetValue(batch) ?? defaults.BatchSize,
                    GradientAccumulationSteps = parsed.GetValue(accumulate) ?? defaults.GradientAccumulationSteps,
                    LearningRate = lr,
                    MinLearningRate = lr / 10,
                    WarmupSteps = Math.Min(defaults.WarmupSteps, Math.Max(1, (parsed.GetValue(steps) ?? defaults.MaxSteps) / 10)),
                    Seed = parsed.GetValue(seed) ?? defaults.Seed,
                    EvaluationInterval = interval,
                    CheckpointInterval = interval,
                }).Validated();
            }

            var loaded = new CorpusLoader(pdfCheck: Planner.Documents.PdfInflationCheck.Problem).Load(parsed.GetValue(corpus)!);
            foreach (var warning in loaded.Warnings) await stderr.WriteLineAsync($"planner: warning: {warning}");
            var data = TokenDataset.Build(loaded.Documents, modelConfig.ContextLength, trainingConfig.Seed);
            await stdout.WriteLineAsync($"Corpus: {loaded.Documents.Count} documents, {data.Train.Length:N0} training tokens ({data.TrainDocuments} documents), {data.Validation.Length:N0} validation tokens ({data.ValidationDocuments}).");

            var torchDevice = ComputeDevice.Resolve(parsed.GetValue(device)!);
            using var model = new Gpt(modelConfig, trainingConfig.Seed);
            if (!resuming && parsed.GetValue(init) is { } initPath)
            {
                HuggingFaceGpt2.LoadAny(initPath, model);
                await stdout.WriteLineAsync($"Initialised from {initPath}.");
            }
            model.to(torchDevice);
            await stdout.WriteLineAsync($"Model: {modelConfig.Layers} layers × {modelConfig.Embedding} wide, context {modelConfig.ContextLength}, {model.ParameterCount():N0} parameters, on {torchDevice.type.ToString().ToLowerInvariant()}.");
            if (torchDevice.type == TorchSharp.DeviceType.CPU) await stdout.WriteLineAsync($"CPU kernels: {MklDispatch.Apply().Description}");

            var progress = new SynchronousProgress<TrainingProgress>(p => stdout.WriteLine(Describe(p)));
            var result = new LanguageModelTrainer(trainingConfig).Train(model, data, outDir, progress, resuming, ct);
            await stdout.WriteLineAsync($"Done at step {result.Step}{(result.StoppedEarly ? " (stopped early: validation loss stopped improving)" : "")}; " +
                                        $"best validation loss {(result.BestValidationLoss is { } b ? ModelCommandOptions.Format(b) : "n/a")}. Checkpoints in {Path.GetFullPath(outDir)}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static string Describe(TrainingProgress p)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"step {p.Step}/{p.TotalSteps}  loss {p.TrainLoss:F4}  lr {p.LearningRate:0.00e+0}  {p.TokensPerSecond:F0} tok/s  ETA {p.EstimatedRemaining:hh\\:mm\\:ss}");
        if (p.ValidationLoss is { } v) line += string.Create(CultureInfo.InvariantCulture, $"  val {v:F4}");
        if (p.Perplexity is { } ppl) line += string.Create(CultureInfo.InvariantCulture, $"  ppl {ppl:F1}");
        if (p.Accuracy is { } acc) line += string.Create(CultureInfo.InvariantCulture, $"  acc {acc:P1}");
        if (p.MacroF1 is { } f1) line += string.Create(CultureInfo.InvariantCulture, $"  macro-F1 {f1:F3}");
        return line;
    }
}
