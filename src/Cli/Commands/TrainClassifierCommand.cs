using System.CommandLine;
using Planner.Engine.Data;
using Planner.Engine.Export;
using Planner.Engine.Model;
using Planner.Engine.Training;
using TorchSharp;

namespace Planner.Cli.Commands;

/// <summary><c>planner train-classifier</c>: fine-tunes GPT-2 with a classification head on labelled texts (e.g. reviews).</summary>
public static class TrainClassifierCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = ModelCommandOptions.Required("--data", "A CSV with a text column and a label column.");
        var textColumn = new Option<string>("--text-column") { Description = "Column holding the text.", DefaultValueFactory = _ => "text" };
        var labelColumn = new Option<string>("--label-column") { Description = "Column holding the label.", DefaultValueFactory = _ => "label" };
        var output = ModelCommandOptions.Required("--out", "Output folder: checkpoint/, best/ and metrics.jsonl.");
        var preset = ModelCommandOptions.Preset();
        var init = new Option<string?>("--init") { Description = "Start the transformer from weights: a checkpoint folder or a (Hugging Face) model.safetensors." };
        var steps = ModelCommandOptions.Int("--steps", "Optimizer steps (default 200).");
        var batch = ModelCommandOptions.Int("--batch", "Examples per step (default 8).");
        var context = ModelCommandOptions.Int("--context", "Context length, a multiple of 256 (default: the preset's); longer texts are truncated.");
        var learningRate = ModelCommandOptions.Double("--lr", "Peak learning rate (default 3e-4).");
        var seed = ModelCommandOptions.Int("--seed", "Seed for initialisation, split and batches (default 1337).");
        var evalInterval = ModelCommandOptions.Int("--eval-interval", "Evaluate and checkpoint every N steps (default 50).");
        var resume = new Option<bool>("--resume") { Description = "Continue from OUT/checkpoint with its saved settings (--steps may move the end, to train longer)." };
        var device = ModelCommandOptions.Device();
        var command = new Command("train-classifier", "Train a GPT-2 text classifier (e.g. review sentiment) from a labelled CSV.")
        {
            data, textColumn, labelColumn, preset, init, steps, batch, context, learningRate, seed, evalInterval, resume, output, device,
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
                trainingConfig = await ModelCommandOptions.ResumeAsync(stdout, parsed, saved, steps, preset, init, context, batch, learningRate, seed, evalInterval);
            }
            else
            {
                var basis = GptConfig.Preset(parsed.GetValue(preset)!);
                modelConfig = (basis with { ContextLength = parsed.GetValue(context) ?? basis.ContextLength }).Validated();
                var defaults = new TrainingConfig();
                var lr = parsed.GetValue(learningRate) ?? 3e-4;
                var interval = parsed.GetValue(evalInterval) ?? defaults.EvaluationInterval;
                trainingConfig = (defaults with
                {
                    MaxSteps = parsed.GetValue(steps) ?? defaults.MaxSteps,
                    BatchSize = parsed.GetValue(batch) ?? 8,
                    LearningRate = lr,
                    MinLearningRate = lr / 10,
                    WarmupSteps = Math.Min(defaults.WarmupSteps, Math.Max(1, (parsed.GetValue(steps) ?? defaults.MaxSteps) / 10)),
                    Seed = parsed.GetValue(seed) ?? defaults.Seed,
                    EvaluationInterval = interval,
                    CheckpointInterval = interval,
                    EvaluationWindows = int.MaxValue,
                }).Validated();
            }

            var dataset = LabelledDataset.FromCsv(parsed.GetValue(data)!, parsed.GetValue(textColumn)!, parsed.GetValue(labelColumn)!);
            var (train, validation) = dataset.StratifiedSplit(trainingConfig.Seed);
            await stdout.WriteLineAsync($"Data: {dataset.Examples.Count} examples, labels {string.Join(", ", dataset.Labels)}; {train.Count} for training, {validation.Count} for validation (stratified).");

            using var model = new ClassificationHead(modelConfig, dataset.Labels.Count, trainingConfig.Seed);
            if (!resuming && parsed.GetValue(init) is { } initPath)
            {
                HuggingFaceGpt2.LoadAny(initPath, model.Transformer);
                await stdout.WriteLineAsync($"Initialised the transformer from {initPath}.");
            }
            model.to(ComputeDevice.Resolve(parsed.GetValue(device)!));
            var progress = new SynchronousProgress<TrainingProgress>(p => stdout.WriteLine(TrainCommand.Describe(p)));
            var result = new ClassifierTrainer(trainingConfig).Train(model, dataset.Labels, train, validation, outDir, progress, resuming, ct);
            await stdout.WriteLineAsync($"Done at step {result.Step}{(result.StoppedEarly ? " (stopped early)" : "")}. Checkpoints in {Path.GetFullPath(outDir)}.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
