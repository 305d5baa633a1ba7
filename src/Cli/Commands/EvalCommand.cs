using System.CommandLine;
using System.Text.Json;
using Planner.Engine.Data;
using Planner.Engine.Evaluation;
using Planner.Engine.Training;
using Planner.Hosting.Training;
using TorchSharp;

namespace Planner.Cli.Commands;

/// <summary><c>planner eval</c>: loss and perplexity of a language-model checkpoint on a corpus, as JSON.</summary>
public static class EvalCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var checkpoint = ModelCommandOptions.Required("--checkpoint", "A checkpoint folder, or a training run's folder (its best checkpoint, else its latest).");
        var corpus = ModelCommandOptions.Required("--corpus", "A .txt/.md/.pdf/.csv file or a folder of them.");
        var device = ModelCommandOptions.Device();
        var command = new Command("eval", "Evaluate a language model on a corpus: {loss, perplexity, tokens}.") { checkpoint, corpus, device };
        command.SetAction((parsed, ct) => ModelCommandOptions.Run(stderr, parsed, trainingProcess: false, async _ =>
        {
            var (model, _) = CheckpointModels.LoadLanguageModel(await ModelCommandOptions.CheckpointAsync(stderr, parsed.GetValue(checkpoint)!));
            using (model)
            {
                var loaded = TrainingCorpus.Load(parsed.GetValue(corpus)!);
                foreach (var warning in loaded.Warnings) await stderr.WriteLineAsync($"planner: warning: {warning}");
                var tokens = TokenDataset.Tokenize(loaded.Documents);
                if (tokens.Length < 2) throw new CorpusException("The corpus holds no readable text to evaluate on.");
                model.to(ComputeDevice.Resolve(parsed.GetValue(device)!));
                var result = LanguageModelEvaluator.Evaluate(model, tokens);
                await stdout.WriteLineAsync(JsonSerializer.Serialize(new { loss = result.Loss, perplexity = result.Perplexity, tokens = result.Tokens }));
                return ExitCodes.Ok;
            }
        }));
        return command;
    }
}
